//! The data file: `state.json` in the data directory, replaced atomically (temp file, fsync, rename,
//! fsync of the directory) before an answer is sent, so nothing already answered is lost in a crash.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::model::State;

/// Where the state lives on disk.
#[derive(Debug, Clone)]
pub struct Store {
    path: PathBuf,
}

impl Store {
    /// Opens (creating the directory) and loads the state; a missing file is an empty state, a
    /// corrupt one an error (the sandbox refuses to start rather than forget silently).
    pub fn open(dir: &Path) -> io::Result<(Store, State)> {
        fs::create_dir_all(dir)?;
        let path = dir.join("state.json");
        let state = match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{}: {e} (move it away to start afresh)", path.display()),
                )
            })?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => State::default(),
            Err(e) => return Err(e),
        };
        Ok((Store { path }, state))
    }

    /// Reads the data file again (an empty state when there is none yet).
    pub fn load(&self) -> io::Result<State> {
        match fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(State::default()),
            Err(e) => Err(e),
        }
    }

    /// The data file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the state atomically.
    pub fn save(&self, state: &State) -> io::Result<()> {
        let bytes = serde_json::to_vec_pretty(state).map_err(io::Error::other)?;
        let tmp = self.path.with_extension("json.tmp");
        {
            let mut f = File::create(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
        }
        fs::rename(&tmp, &self.path)?;
        if let Some(dir) = self.path.parent() {
            // Makes the rename itself durable (not possible on every platform: best effort).
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_and_loads_and_refuses_corrupt_files() {
        let dir =
            std::env::temp_dir().join(format!("iamport-sandbox-store-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let (store, mut st) = Store::open(&dir).unwrap();
        assert_eq!(st, State::default());
        st.advance(42);
        store.save(&st).unwrap();
        assert!(!dir.join("state.json.tmp").exists());
        assert_eq!(Store::open(&dir).unwrap().1, st);
        assert_eq!(store.load().unwrap(), st);
        fs::write(store.path(), b"{not json").unwrap();
        assert!(Store::open(&dir).is_err());
        let _ = fs::remove_dir_all(&dir);
    }
}
