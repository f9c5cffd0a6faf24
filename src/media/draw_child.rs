//! The picture process: what `newsroom draw-master` and `newsroom draw-renditions` do when
//! the server starts them (`draw_process.rs`). Decoding and drawing a 24 MP photo is seconds
//! of CPU; done on the server's own threads, even at a low nice value, it slowed the readers'
//! requests by up to 30× at saturation (docs/media.md, "Figures"). A process in a session of
//! its own gets an autogroup of its own, which this one lowers to nice 19, so the kernel
//! weighs all of it as one small task against the server and PostgreSQL. A decoder's bug or a
//! picture's memory stays in this process too, and is gone when it ends.

use std::io::{BufReader, BufWriter, Read, Write};
use std::process::ExitCode;

use super::frames;
use super::pixels::Pixels;
use super::process::{self, Facts, Refusal};
use super::renditions::{self, Variant};
use super::sniff::Format;

/// The autogroup's nice value: the weakest the kernel has.
const AUTOGROUP_NICE: &str = "19";

/// `draw-master`: standard input is the uploaded file (seekable), standard output gets one
/// message: the master's facts (or why there is none) and its bytes.
pub fn master(source: &str, max_pixels: u64) -> ExitCode {
    lower_priority();
    let formats = [Format::Jpeg, Format::Png, Format::Gif, Format::Webp];
    let Some(source) = formats.into_iter().find(|f| f.as_str() == source) else {
        eprintln!("newsroom picture process: {source} is no picture format");
        return ExitCode::FAILURE;
    };
    let answer = upload_file().map_err(|e| Refusal::Failed(format!("reading the upload: {e}")));
    let answer = answer.and_then(|file| process::make_master(file, source, max_pixels));
    let (header, bytes): (Result<Facts, Refusal>, Vec<u8>) = match answer {
        Ok(master) => (Ok(master.facts), master.bytes),
        Err(refusal) => (Err(refusal), Vec::new()),
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    finish(frames::write(&mut out, &header, &bytes))
}

/// `draw-renditions`: the first message is a master (its format as header, its bytes as
/// block), answered with `Ok(())` once decoded; then each message names renditions of one
/// shape and width (`Variant::file_name`) and is answered with their sizes and bytes, in
/// order. Ends at the end of its input.
pub fn renditions() -> ExitCode {
    lower_priority();
    let mut input = BufReader::new(std::io::stdin().lock());
    let mut out = BufWriter::new(std::io::stdout().lock());
    finish(serve(&mut input, &mut out))
}

fn serve(input: &mut impl Read, out: &mut impl Write) -> std::io::Result<()> {
    let Some((format, master)) = frames::read::<Format>(input)? else {
        return Ok(());
    };
    let decoded = decode(format, &master);
    drop(master);
    let pixels = match decoded {
        Ok(pixels) => {
            frames::write(out, &Ok::<(), String>(()), &[])?;
            pixels
        }
        Err(why) => return frames::write(out, &Err::<(), String>(why), &[]),
    };
    while let Some((names, _)) = frames::read::<Vec<String>>(input)? {
        match draw(&pixels, &names) {
            Ok(drawn) => {
                let sizes: Vec<u64> = drawn.iter().map(|b| b.len() as u64).collect();
                frames::write(out, &Ok::<_, String>(sizes), &drawn.concat())?;
            }
            Err(why) => frames::write(out, &Err::<Vec<u64>, _>(why), &[])?,
        }
    }
    Ok(())
}

fn decode(format: Format, master: &[u8]) -> Result<Pixels, String> {
    let format = match format {
        Format::Png => image::ImageFormat::Png,
        _ => image::ImageFormat::Jpeg,
    };
    image::load_from_memory_with_format(master, format)
        .map(Pixels::from_image)
        .map_err(|e| format!("decoding the master: {e}"))
}

fn draw(pixels: &Pixels, names: &[String]) -> Result<Vec<Vec<u8>>, String> {
    let group = names
        .iter()
        .map(|name| Variant::parse(name).ok_or_else(|| format!("{name} is no rendition")))
        .collect::<Result<Vec<Variant>, String>>()?;
    renditions::render_group(pixels, &group).map_err(|e| e.to_string())
}

/// The upload file the server handed over as standard input.
fn upload_file() -> std::io::Result<std::fs::File> {
    use std::os::fd::AsFd;
    Ok(std::fs::File::from(
        std::io::stdin().as_fd().try_clone_to_owned()?,
    ))
}

/// Sets this session's autogroup to nice 19 (the server started it in a session of its own).
/// Best effort: without autogroups (a kernel built without them, or turned off) the process
/// still runs in its own session, at normal priority.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    if let Err(err) = std::fs::write("/proc/self/autogroup", AUTOGROUP_NICE) {
        eprintln!("newsroom picture process: cannot lower its autogroup's priority: {err}");
    }
}

/// A failure to talk to the server: said on standard error, which is the server's.
fn finish(outcome: std::io::Result<()>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("newsroom picture process: {err}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_master_is_decoded_once_and_each_group_drawn_as_in_the_server() {
        let image =
            image::RgbImage::from_fn(90, 60, |x, y| image::Rgb([x as u8 * 2, y as u8 * 3, 7]));
        let pixels = Pixels::from_image(image.into());
        let master = pixels.png().unwrap();
        let group: Vec<Variant> = renditions::all(90, 60, (5000, 5000))
            .into_iter()
            .filter(|v| v.crop.is_none())
            .collect();
        let names: Vec<String> = group.iter().map(Variant::file_name).collect();

        let mut input = Vec::new();
        frames::write(&mut input, &Format::Png, &master).unwrap();
        frames::write(&mut input, &names, &[]).unwrap();
        frames::write(&mut input, &vec!["w640.gif".to_owned()], &[]).unwrap();
        let mut out = Vec::new();
        serve(&mut input.as_slice(), &mut out).unwrap();

        let mut out = out.as_slice();
        let (decoded, _): (Result<(), String>, _) = frames::read(&mut out).unwrap().unwrap();
        assert_eq!(decoded, Ok(()));
        let (sizes, block): (Result<Vec<u64>, String>, _) =
            frames::read(&mut out).unwrap().unwrap();
        let expected =
            renditions::render_group(&decode(Format::Png, &master).unwrap(), &group).unwrap();
        assert_eq!(
            sizes.unwrap(),
            expected.iter().map(|b| b.len() as u64).collect::<Vec<_>>()
        );
        assert_eq!(block, expected.concat());
        let (refused, _): (Result<Vec<u64>, String>, _) = frames::read(&mut out).unwrap().unwrap();
        assert_eq!(refused, Err("w640.gif is no rendition".to_owned()));
        assert!(frames::read::<u8>(&mut out).unwrap().is_none());
    }

    #[test]
    fn a_master_that_cannot_be_decoded_is_said_and_nothing_is_drawn() {
        let mut input = Vec::new();
        frames::write(&mut input, &Format::Jpeg, b"not a jpeg").unwrap();
        frames::write(&mut input, &vec!["w320.jpg".to_owned()], &[]).unwrap();
        let mut out = Vec::new();
        serve(&mut input.as_slice(), &mut out).unwrap();
        let mut out = out.as_slice();
        let (decoded, _): (Result<(), String>, _) = frames::read(&mut out).unwrap().unwrap();
        assert!(decoded.unwrap_err().starts_with("decoding the master"));
        assert!(frames::read::<u8>(&mut out).unwrap().is_none());
    }
}
