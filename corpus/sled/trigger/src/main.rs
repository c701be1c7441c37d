//! An idle database: open a sled Db in a fresh temporary directory, insert
//! one key, then do nothing for SECONDS (default 2) and drop it. The process
//! should use no CPU while it sleeps. In sled 0.30.0 an idle worker of sled's
//! internal threadpool spun in a hot loop waiting for work; 0.30.1 fixed it.
use std::{env, fs, process, thread, time::Duration};

fn main() {
    let secs: f64 = match env::args().nth(1).map(|s| s.parse()) {
        None => 2.0,
        Some(Ok(v)) if v > 0.0 => v,
        _ => {
            eprintln!("usage: trigger [SECONDS]");
            process::exit(2);
        }
    };
    let dir = env::temp_dir().join(format!("spin-gate-sled-{}", process::id()));
    {
        // sled::Config rather than sled::open, which 0.30 does not have
        let db = sled::Config::new().path(&dir).open().expect("open the database");
        db.insert(b"key", b"value".to_vec()).expect("insert");
        thread::sleep(Duration::from_secs_f64(secs));
    }
    let _ = fs::remove_dir_all(&dir);
}
