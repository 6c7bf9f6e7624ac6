//! English glosses of iamport's Korean refusals, for the messages whose meaning is published (the
//! V1 API description and iamport's own clients). [`Error::message`](crate::Error::message) carries
//! iamport's text followed by the gloss in parentheses; [`Error::api_message`](crate::Error::api_message)
//! stays iamport's text, as sent. A message not in the table is left as it is: no guessing.

/// A part of iamport's message (it may carry an id around it) → what it means.
const GLOSSES: &[(&str, &str)] = &[
    ("등록된 고객정보가 없습니다", "no billing key is stored under this customer_uid"),
    ("로 등록된 정보를 찾을 수 없습니다", "no billing key is stored under this customer_uid"),
    ("존재하지 않는 결제정보입니다", "no such payment"),
    ("취소할 결제건이 존재하지 않습니다", "there is no payment to cancel"),
    ("취소할 예약결제 기록이 존재하지 않습니다", "there is no pending schedule to revoke"),
];

/// iamport's `message`, with the English gloss appended when one is known.
pub(crate) fn glossed(message: &str) -> String {
    match GLOSSES.iter().find(|(korean, _)| message.contains(korean)) {
        Some((_, english)) => format!("{message} ({english})"),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::glossed;

    #[test]
    fn known_refusals_get_their_gloss_and_others_stay_as_sent() {
        assert_eq!(
            glossed("등록된 고객정보가 없습니다."),
            "등록된 고객정보가 없습니다. (no billing key is stored under this customer_uid)"
        );
        assert_eq!(
            glossed("요청하신 customer_uid(user_1)로 등록된 정보를 찾을 수 없습니다."),
            "요청하신 customer_uid(user_1)로 등록된 정보를 찾을 수 없습니다. (no billing key is stored under this customer_uid)"
        );
        assert_eq!(glossed("취소할 예약결제 기록이 존재하지 않습니다."), "취소할 예약결제 기록이 존재하지 않습니다. (there is no pending schedule to revoke)");
        assert_eq!(glossed("카드사 승인 거절"), "카드사 승인 거절");
        assert_eq!(glossed(""), "");
    }

    #[test]
    fn errors_carry_the_gloss_in_their_message_and_iamports_text_in_api_message() {
        let e = crate::error::Error::api("POST /subscribe/payments/again", 1, Some("등록된 고객정보가 없습니다.".into()));
        assert_eq!(
            e.message(),
            "POST /subscribe/payments/again: iamport refused (code 1): 등록된 고객정보가 없습니다. (no billing key is stored under this customer_uid)"
        );
        assert_eq!(e.api_message(), Some("등록된 고객정보가 없습니다."));
        let e = crate::error::Error::not_found("GET /payments/imps_1", Some("존재하지 않는 결제정보입니다.".into()));
        assert_eq!(e.message(), "GET /payments/imps_1: not found (존재하지 않는 결제정보입니다. (no such payment))");
    }
}
