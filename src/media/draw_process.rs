//! The server's side of the picture process (`draw_child.rs` says why pictures are drawn in
//! a process of their own): starting it in a session of its own, handing it an upload or a
//! master, and taking back the master or the renditions. One process per upload and one per
//! warm-up or lazy drawing; it ends when its input closes, and is killed if the server drops
//! it (a request that went away). The pipes are plain blocking I/O on blocking threads, the
//! same in every runtime the server runs.

use std::io::{BufReader, BufWriter, Seek, SeekFrom};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use anyhow::{anyhow, Context};

use super::frames;
use super::process::{Facts, Master, Refusal};
use super::renditions::Variant;
use super::sniff::Format;
use crate::error::{AppError, Result};

/// `program` (this binary) with `args`, in a new session, its standard error the server's.
fn command(program: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(program);
    command.args(args).stderr(Stdio::inherit());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: setsid is async-signal-safe and touches no memory of the parent.
        unsafe {
            command.pre_exec(|| {
                if libc::setsid() == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    command
}

fn lost(err: std::io::Error) -> AppError {
    anyhow!("the picture process stopped answering: {err}").into()
}

/// Runs `work` (blocking I/O with a picture process) on a blocking thread.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    actix_web::rt::task::spawn_blocking(work)
        .await
        .map_err(|e| anyhow!("talking to the picture process: {e}"))?
}

/// The master of the uploaded `file` (sniffed as `source`), made by a picture process.
pub async fn make_master(
    program: &Path,
    mut file: std::fs::File,
    source: Format,
    max_pixels: u64,
) -> Result<Master> {
    let program = program.to_owned();
    blocking(move || {
        file.seek(SeekFrom::Start(0))
            .context("rewinding the upload")?;
        let max_pixels = max_pixels.to_string();
        let args = [
            "draw-master",
            "--source",
            source.as_str(),
            "--max-pixels",
            &max_pixels,
        ];
        let mut child = Process::start(&program, &args, Stdio::from(file))?;
        let mut out = BufReader::new(child.output()?);
        let (answer, bytes): (std::result::Result<Facts, Refusal>, Vec<u8>) =
            frames::read(&mut out)
                .map_err(lost)?
                .ok_or_else(|| lost(eof()))?;
        Ok(Master {
            facts: answer?,
            bytes,
        })
    })
    .await
}

fn eof() -> std::io::Error {
    std::io::ErrorKind::UnexpectedEof.into()
}

/// A started picture process, killed and reaped when dropped (a request that went away, or
/// the end of its work).
struct Process(Child);

impl Process {
    fn start(program: &Path, args: &[&str], input: Stdio) -> Result<Process> {
        let child = command(program, args)
            .stdin(input)
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting the picture process {}", program.display()))?;
        Ok(Process(child))
    }

    fn output(&mut self) -> Result<ChildStdout> {
        Ok(self
            .0
            .stdout
            .take()
            .context("the picture process has no output")?)
    }

    fn input(&mut self) -> Result<ChildStdin> {
        Ok(self
            .0
            .stdin
            .take()
            .context("the picture process has no input")?)
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

/// A picture process holding one decoded master, drawing its renditions on demand.
pub struct Painter(Option<Talk>);

/// The process and its pipes, moved to a blocking thread for each exchange.
struct Talk {
    input: BufWriter<ChildStdin>,
    output: BufReader<ChildStdout>,
    // Last: dropped (killed and reaped) after its pipes are closed.
    _process: Process,
}

impl Painter {
    /// Starts a process and has it decode `master` (stored as `format`).
    pub async fn open(program: &Path, master: bytes::Bytes, format: Format) -> Result<Painter> {
        let program = program.to_owned();
        let talk = blocking(move || {
            let mut process = Process::start(&program, &["draw-renditions"], Stdio::piped())?;
            let mut talk = Talk {
                input: BufWriter::new(process.input()?),
                output: BufReader::new(process.output()?),
                _process: process,
            };
            frames::write(&mut talk.input, &format, &master).map_err(lost)?;
            let (decoded, _): (std::result::Result<(), String>, _) = frames::read(&mut talk.output)
                .map_err(lost)?
                .ok_or_else(|| lost(eof()))?;
            decoded.map_err(|why| anyhow!(why))?;
            Ok(talk)
        })
        .await?;
        Ok(Painter(Some(talk)))
    }

    /// Draws `group` (one shape and width, in its formats), in order.
    pub async fn draw(&mut self, group: &[Variant]) -> Result<Vec<Vec<u8>>> {
        let mut talk = self
            .0
            .take()
            .context("the picture process failed earlier")?;
        let names: Vec<String> = group.iter().map(Variant::file_name).collect();
        let (talk, answer) = blocking(move || {
            let answer = exchange(&mut talk, &names);
            Ok((talk, answer))
        })
        .await?;
        let drawn = answer?;
        self.0 = Some(talk);
        Ok(drawn)
    }
}

/// Asks for the renditions `names` and splits the answer.
fn exchange(talk: &mut Talk, names: &[String]) -> Result<Vec<Vec<u8>>> {
    frames::write(&mut talk.input, &names, &[]).map_err(lost)?;
    let (sizes, block): (std::result::Result<Vec<u64>, String>, Vec<u8>) =
        frames::read(&mut talk.output)
            .map_err(lost)?
            .ok_or_else(|| lost(eof()))?;
    let sizes = sizes.map_err(|why| anyhow!("drawing {names:?}: {why}"))?;
    if sizes.len() != names.len() || sizes.iter().sum::<u64>() != block.len() as u64 {
        return Err(anyhow!("the picture process answered {sizes:?} for {names:?}").into());
    }
    let mut rest = block.as_slice();
    Ok(sizes
        .into_iter()
        .map(|size| {
            let (one, after) = rest.split_at(size as usize);
            rest = after;
            one.to_vec()
        })
        .collect())
}
