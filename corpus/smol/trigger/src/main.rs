//! An idle UDP receiver: a task waits in `Async<UdpSocket>::recv` on a
//! connected loopback socket nobody sends to, while the main task sleeps on
//! a timer for SECONDS (default 2). Nothing happens; the process should use
//! no CPU. smol 0.1.11 waits for the socket to become *writable* in `recv`
//! (`write_with`), which a UDP socket always is, so the task retries `recv`
//! in a hot loop; 0.1.12 waits for it to become readable (`read_with`).
use smol::{Async, Task, Timer};
use std::{env, net::UdpSocket, process, time::Duration};

fn main() {
    let secs: f64 = match env::args().nth(1).map(|s| s.parse()) {
        None => 2.0,
        Some(Ok(v)) if v > 0.0 => v,
        _ => {
            eprintln!("usage: trigger [SECONDS]");
            process::exit(2);
        }
    };
    smol::run(async move {
        let socket = Async::<UdpSocket>::bind("127.0.0.1:0").expect("bind");
        let peer = UdpSocket::bind("127.0.0.1:0").expect("bind peer");
        socket
            .get_ref()
            .connect(peer.local_addr().expect("peer address"))
            .expect("connect");
        Task::spawn(async move {
            let mut buf = [0u8; 64];
            let _ = socket.recv(&mut buf).await;
        })
        .detach();
        Timer::after(Duration::from_secs_f64(secs)).await;
    });
}
