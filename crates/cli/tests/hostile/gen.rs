//! Generators for hostile inputs too big, too odd or too dangerous to commit: named in a case's
//! `gen` table as "generator" or "generator:argument".

use std::path::Path;
use std::process::Command;

/// Make the file `spec` names at `path`. An error starting with "skip:" means the machine cannot
/// make it (the case is skipped, and says so); any other error fails the suite.
pub fn make(spec: &str, path: &Path) -> Result<(), String> {
    let (name, arg) = spec.split_once(':').unwrap_or((spec, ""));
    match name {
        // a named pipe: reading it blocks until a writer comes
        "fifo" => {
            let ok = Command::new("mkfifo")
                .arg(path)
                .status()
                .map_err(|e| e.to_string())?;
            ok.success()
                .then_some(())
                .ok_or_else(|| "mkfifo failed".into())
        }
        "dir" => std::fs::create_dir(path).map_err(|e| e.to_string()),
        // a character device node in the case folder, the same device as /dev/ARG (null, full
        // or zero): an output case never names the system's own /dev files, so a regression
        // replaces only this node. Making one needs root; elsewhere the case is skipped.
        "chardev" => {
            let (major, minor) = match arg {
                "null" => ("1", "3"),
                "zero" => ("1", "5"),
                "full" => ("1", "7"),
                other => return Err(format!("chardev:{other}: null, zero or full")),
            };
            let made = Command::new("mknod")
                .arg(path)
                .args(["c", major, minor])
                .stderr(std::process::Stdio::null())
                .status()
                .map_err(|e| format!("skip: mknod: {e}"))?;
            made.success()
                .then_some(())
                .ok_or_else(|| "skip: mknod is not permitted here (not root)".into())
        }
        // a symbolic link to ARG (expanded relative to the case folder when not absolute)
        "symlink" => {
            let target = Path::new(arg);
            let target = if target.is_absolute() {
                target.to_path_buf()
            } else {
                path.parent().unwrap_or(Path::new(".")).join(target)
            };
            std::os::unix::fs::symlink(target, path).map_err(|e| e.to_string())
        }
        // a hard link to ARG (relative to the case folder when not absolute): the same file
        // under another name
        "hardlink" => {
            let target = Path::new(arg);
            let target = if target.is_absolute() {
                target.to_path_buf()
            } else {
                path.parent().unwrap_or(Path::new(".")).join(target)
            };
            std::fs::hard_link(target, path).map_err(|e| e.to_string())
        }
        // a file of ARG bytes of text (e.g. "text:hello")
        "text" => std::fs::write(path, arg).map_err(|e| e.to_string()),
        "empty" => std::fs::write(path, b"").map_err(|e| e.to_string()),
        // a sparse file of ARG MiB (takes no disk; reads as zeros)
        "sparse-mib" => {
            let mib: u64 = arg.parse().map_err(|_| format!("sparse-mib:{arg}"))?;
            let f = std::fs::File::create(path).map_err(|e| e.to_string())?;
            f.set_len(mib * 1024 * 1024).map_err(|e| e.to_string())
        }
        other => Err(format!("unknown generator '{other}'")),
    }
}
