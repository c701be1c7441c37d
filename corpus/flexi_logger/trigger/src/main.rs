//! An idle file logger: a stand-alone FileLogWriter (new in flexi_logger
//! 0.19) in WriteMode::BufferAndFlush writes one line, then nothing happens
//! for SECONDS (default 2). The process should use no CPU while it sleeps.
//! In 0.19.3 the writer's flusher thread waits with `recv_timeout` on a
//! channel whose sender it dropped at once (`let (_, receiver) = channel()`),
//! so every wait returns `Disconnected` immediately: the thread flushes in a
//! hot loop. 0.19.4 keeps the sender (`_sender`). (Logger::start is not
//! affected: it takes the flushing out of its writer and runs its own
//! flusher, which keeps its sender.)
use flexi_logger::writers::{FileLogWriter, LogWriter};
use flexi_logger::{DeferredNow, FileSpec, Level, Record, WriteMode};
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
    let dir = env::temp_dir().join(format!("spin-gate-flexi-{}", process::id()));
    {
        let writer = FileLogWriter::builder(FileSpec::default().directory(&dir))
            .write_mode(WriteMode::BufferAndFlush)
            .try_build()
            .expect("file log writer");
        let record = Record::builder()
            .args(format_args!("logged once, now idle"))
            .level(Level::Info)
            .build();
        writer.write(&mut DeferredNow::new(), &record).expect("write");
        thread::sleep(Duration::from_secs_f64(secs));
        writer.flush().expect("flush");
    }
    let _ = fs::remove_dir_all(&dir);
}
