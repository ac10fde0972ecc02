//! journald's native protocol, written directly: one `AF_UNIX` datagram per entry to the
//! journal socket (path configurable: tests run a private journald), and for entries too big
//! for a datagram a sealed memfd passed with `SCM_RIGHTS`, as `sd_journal_sendv` does.
//!
//! No crate was used: `libsystemd` and `systemd-journal-logger` hard-code
//! `/run/systemd/journal/socket` or tie fields to `log` records; the protocol itself is small.
//! See systemd's `src/journal/journald-native.c` and the "Native Journal Protocol" document.
use std::{
    fs::File,
    io::{self, IoSlice, Write},
    os::{
        fd::{AsFd, AsRawFd},
        unix::net::UnixDatagram,
    },
    path::{Path, PathBuf},
    sync::{
        Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use nix::{
    errno::Errno,
    fcntl::{FcntlArg, SealFlag, fcntl},
    sys::{
        memfd::{MFdFlags, memfd_create},
        socket::{ControlMessage, MsgFlags, UnixAddr, sendmsg},
    },
};

use super::{AuditError, AuditRecord};

/// A journald that does not take a datagram within this long is treated as unavailable
/// (the record goes to the fallback) rather than stalling the daemon.
const SEND_TIMEOUT: Duration = Duration::from_secs(2);

/// Where a record ended up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// One datagram to journald.
    Datagram,
    /// Too big for a datagram: a sealed memfd handed to journald.
    Memfd,
    /// journald unreachable: a JSON line on the fallback writer (stderr in production).
    Fallback,
}

/// Serialize fields in the native format: `NAME=value\n`, or, when the value contains a
/// newline, `NAME\n` + 64-bit little-endian length + value + `\n`.
pub fn encode(fields: &[(&str, &str)]) -> Vec<u8> {
    let mut buf = Vec::with_capacity(fields.iter().map(|(k, v)| k.len() + v.len() + 10).sum());
    for (k, v) in fields {
        buf.extend_from_slice(k.as_bytes());
        if v.contains('\n') {
            buf.push(b'\n');
            buf.extend_from_slice(&(v.len() as u64).to_le_bytes());
        } else {
            buf.push(b'=');
        }
        buf.extend_from_slice(v.as_bytes());
        buf.push(b'\n');
    }
    buf
}

/// Writes audit records to journald, or to a fallback writer while journald is unreachable.
/// Shared by reference between tasks: all methods take `&self`.
pub struct JournalWriter<W: Write + Send = io::Stderr> {
    socket_path: PathBuf,
    socket: UnixDatagram,
    fallback: Mutex<W>,
    /// Set while journald is unreachable, so the outage is reported once, not per record.
    unavailable: AtomicBool,
}

impl JournalWriter<io::Stderr> {
    /// A writer to `socket_path` that falls back to stderr.
    pub fn new(socket_path: impl Into<PathBuf>) -> io::Result<Self> {
        Self::with_fallback(socket_path, io::stderr())
    }
}

impl<W: Write + Send> JournalWriter<W> {
    pub fn with_fallback(socket_path: impl Into<PathBuf>, fallback: W) -> io::Result<Self> {
        let socket = UnixDatagram::unbound()?;
        socket.set_write_timeout(Some(SEND_TIMEOUT))?;
        Ok(Self {
            socket_path: socket_path.into(),
            socket,
            fallback: Mutex::new(fallback),
            unavailable: AtomicBool::new(false),
        })
    }

    pub fn socket_path(&self) -> &Path {
        &self.socket_path
    }

    /// Write one record. Never drops it silently: if journald cannot take it, it goes to the
    /// fallback as a JSON line (and the first such failure of an outage logs one warning);
    /// an error is returned only when the fallback fails too, or the record itself is invalid.
    pub fn write(&self, record: &AuditRecord) -> Result<Delivery, AuditError> {
        let fields = record.journal_fields()?;
        let payload = encode(&fields);
        match self.send(&payload) {
            Ok(d) => {
                if self.unavailable.swap(false, Ordering::AcqRel) {
                    tracing::info!(
                        socket = %self.socket_path.display(),
                        "journald is reachable again; audit records go to the journal"
                    );
                }
                Ok(d)
            }
            Err(journal) => {
                if !self.unavailable.swap(true, Ordering::AcqRel) {
                    tracing::warn!(
                        socket = %self.socket_path.display(),
                        error = %journal,
                        "journald is not reachable; writing audit records to stderr as JSON lines until it is"
                    );
                }
                let line = record.to_json()?;
                let mut out = self.fallback.lock().unwrap_or_else(|e| e.into_inner());
                writeln!(out, "{line}")
                    .and_then(|()| out.flush())
                    .map_err(|fallback| AuditError::Lost { journal, fallback })?;
                Ok(Delivery::Fallback)
            }
        }
    }

    fn send(&self, payload: &[u8]) -> io::Result<Delivery> {
        match self.socket.send_to(payload, &self.socket_path) {
            Ok(_) => Ok(Delivery::Datagram),
            // What sd_journal_sendv treats as "too big or too busy for a datagram".
            Err(e) if matches!(e.raw_os_error(), Some(libc::EMSGSIZE | libc::ENOBUFS)) => {
                self.send_memfd(payload).map(|()| Delivery::Memfd)
            }
            Err(e) => Err(e),
        }
    }

    /// Write the payload to a memfd, seal it (journald refuses unsealed ones, since the sender
    /// could change it while it is read) and pass the descriptor with no data.
    fn send_memfd(&self, payload: &[u8]) -> io::Result<()> {
        let fd = memfd_create(
            c"healer-journal",
            MFdFlags::MFD_ALLOW_SEALING | MFdFlags::MFD_CLOEXEC,
        )?;
        let mut file = File::from(fd);
        file.write_all(payload)?;
        fcntl(
            file.as_fd(),
            FcntlArg::F_ADD_SEALS(
                SealFlag::F_SEAL_SHRINK
                    | SealFlag::F_SEAL_GROW
                    | SealFlag::F_SEAL_WRITE
                    | SealFlag::F_SEAL_SEAL,
            ),
        )?;
        let addr = UnixAddr::new(&self.socket_path)?;
        let fds = [file.as_raw_fd()];
        let no_data: [IoSlice<'_>; 0] = [];
        sendmsg(
            self.socket.as_raw_fd(),
            &no_data,
            &[ControlMessage::ScmRights(&fds)],
            MsgFlags::MSG_NOSIGNAL,
            Some(&addr),
        )
        .map_err(|e: Errno| io::Error::from(e))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::audit::EntryKind;

    #[test]
    fn encode_uses_length_form_only_for_multiline_values() {
        let got = encode(&[("A", "x"), ("B", "1\n2")]);
        let mut want = b"A=x\nB\n".to_vec();
        want.extend_from_slice(&3u64.to_le_bytes());
        want.extend_from_slice(b"1\n2\n");
        assert_eq!(got, want);
    }

    /// A `Write` whose contents the test can read after handing it to the writer.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().write(b)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn records_reach_a_listening_socket_as_native_datagrams() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("socket");
        let server = UnixDatagram::bind(&path).unwrap();
        let w = JournalWriter::with_fallback(&path, Shared::default()).unwrap();
        let r = AuditRecord::new(EntryKind::Healed, "web.service healed")
            .unit("web.service")
            .incident("inc-1")
            .explanation("line one\nline two");
        assert_eq!(w.write(&r).unwrap(), Delivery::Datagram);
        let mut buf = vec![0; 4096];
        let n = server.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], encode(&r.journal_fields().unwrap()).as_slice());
    }

    #[test]
    fn missing_socket_falls_back_to_json_lines() {
        let dir = tempfile::tempdir().unwrap();
        let out = Shared::default();
        let w = JournalWriter::with_fallback(dir.path().join("nope"), out.clone()).unwrap();
        for i in 0..3 {
            let r = AuditRecord::new(EntryKind::Failed, format!("attempt {i}"))
                .unit("web.service")
                .incident("inc-2");
            assert_eq!(w.write(&r).unwrap(), Delivery::Fallback);
        }
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[2]["MESSAGE"], "attempt 2");
        assert_eq!(lines[2]["MESSAGE_ID"], EntryKind::Failed.message_id());
        assert_eq!(lines[2]["HEALER_INCIDENT"], "inc-2");
        assert_eq!(lines[2]["PRIORITY"], "3");
    }

    #[test]
    fn delivery_resumes_when_the_socket_appears() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("socket");
        let out = Shared::default();
        let w = JournalWriter::with_fallback(&path, out.clone()).unwrap();
        let r = AuditRecord::new(EntryKind::Diagnosed, "x").incident("inc-3");
        assert_eq!(w.write(&r).unwrap(), Delivery::Fallback);
        let server = UnixDatagram::bind(&path).unwrap();
        assert_eq!(w.write(&r).unwrap(), Delivery::Datagram);
        let mut buf = vec![0; 4096];
        let n = server.recv(&mut buf).unwrap();
        assert!(buf[..n].starts_with(b"MESSAGE=x\n"));
        // Only the first record went to the fallback.
        assert_eq!(
            out.0
                .lock()
                .unwrap()
                .iter()
                .filter(|&&b| b == b'\n')
                .count(),
            1
        );
    }
}
