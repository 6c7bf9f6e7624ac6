//! The one thread that writes, with group commit: it takes every change waiting (up to
//! [`MAX_GROUP`]), runs each in its own savepoint of one transaction (a change that fails or panics
//! is rolled back alone), commits once (one fsync for the group), and only then hands each change
//! its outcome, so no answer goes out before its change is durable.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;

use rusqlite::Connection;

/// The most changes committed together.
pub const MAX_GROUP: usize = 256;

/// What a change hands back: whether it succeeded (else its savepoint is rolled back), and what to
/// do once the transaction is committed (`Ok`) or failed to commit (`Err` with the reason).
pub struct Outcome {
    /// Keep the change.
    pub keep: bool,
    /// Called after the commit.
    pub then: Box<dyn FnOnce(Result<(), String>) + Send>,
}

impl std::fmt::Debug for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outcome").field("keep", &self.keep).finish_non_exhaustive()
    }
}

/// A change to run on the writer's connection.
pub type Job = Box<dyn FnOnce(&Connection) -> Outcome + Send>;

/// The sending side: cheap to clone, never blocks.
#[derive(Debug, Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer thread on `db`.
    pub fn start(db: Connection) -> Result<Writer, String> {
        let (jobs, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("sandbox-db-writer".into())
            .spawn(move || run(db, rx))
            .map_err(|e| format!("cannot start the database writer: {e}"))?;
        Ok(Writer { jobs })
    }

    /// Queues a change; `false` when the writer is gone.
    pub fn submit(&self, job: Job) -> bool {
        self.jobs.send(job).is_ok()
    }
}

fn run(db: Connection, rx: mpsc::Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        if let Err(e) = db.execute_batch("BEGIN IMMEDIATE") {
            // Dropping the changes unrun answers each with an error (see `Shared::mutate`).
            eprintln!("database: cannot start a transaction: {e}");
            drop(group);
            continue;
        }
        let mut done = Vec::with_capacity(group.len());
        for job in group {
            done.push(run_one(&db, job));
        }
        let committed = db
            .execute_batch("COMMIT")
            .map_err(|e| format!("the sandbox could not write its database: {e}"));
        if committed.is_err() {
            let _ = db.execute_batch("ROLLBACK");
        }
        for then in done {
            then(committed.clone());
        }
    }
}

/// Runs one change in a savepoint: kept, or rolled back when it fails or panics.
fn run_one(db: &Connection, job: Job) -> Box<dyn FnOnce(Result<(), String>) + Send> {
    if let Err(e) = db.execute_batch("SAVEPOINT job") {
        eprintln!("database: cannot start a change: {e}");
        return Box::new(|_| {});
    }
    match catch_unwind(AssertUnwindSafe(|| job(db))) {
        Ok(outcome) => {
            let end = if outcome.keep {
                "RELEASE job"
            } else {
                "ROLLBACK TO job; RELEASE job"
            };
            if let Err(e) = db.execute_batch(end) {
                eprintln!("database: {end}: {e}");
            }
            outcome.then
        }
        Err(_) => {
            let _ = db.execute_batch("ROLLBACK TO job; RELEASE job");
            eprintln!("database: a change panicked and was rolled back");
            Box::new(|_| {})
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;

    fn job(sql: &'static str, keep: bool, done: mpsc::Sender<Result<(), String>>) -> Job {
        Box::new(move |db: &Connection| {
            db.execute_batch(sql).unwrap();
            Outcome {
                keep,
                then: Box::new(move |r| done.send(r).unwrap()),
            }
        })
    }

    #[test]
    fn each_change_is_kept_or_rolled_back_alone_and_answered_after_the_commit() {
        let dir =
            std::env::temp_dir().join(format!("iamport-sandbox-writer-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (db, path) = crate::store::open(&dir).unwrap();
        let writer = Writer::start(db).unwrap();
        let (done, answers) = channel();
        // Queued together: most likely one group, and each change stands alone in any case.
        writer.submit(job(
            "INSERT INTO tokens VALUES ('kept', 1)",
            true,
            done.clone(),
        ));
        writer.submit(job(
            "INSERT INTO tokens VALUES ('refused', 1)",
            false,
            done.clone(),
        ));
        writer.submit(Box::new(|db: &Connection| {
            db.execute_batch("INSERT INTO tokens VALUES ('panicked', 1)")
                .unwrap();
            panic!("in the middle of a change")
        }));
        writer.submit(job("INSERT INTO tokens VALUES ('after', 1)", true, done));
        let got: Vec<_> = answers.iter().take(3).collect();
        assert_eq!(got, vec![Ok(()), Ok(()), Ok(())]);
        let readers = crate::store::Readers::new(path);
        let tokens = readers
            .with(|db| {
                let mut stmt =
                    db.prepare("SELECT access_token FROM tokens ORDER BY access_token")?;
                let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
                rows.collect::<rusqlite::Result<Vec<_>>>()
            })
            .unwrap();
        assert_eq!(tokens, ["after", "kept"]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
