//! The `newsroom` binary: parse the command line, read the settings, start logging, run.

use std::process::ExitCode;

use clap::Parser;
use newsroom::cli::{self, Cli};
use newsroom::config::Config;
use newsroom::telemetry;

#[actix_web::main]
async fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("newsroom: invalid settings: {err:#}");
            return ExitCode::FAILURE;
        }
    };
    telemetry::init(config.log_format);
    match cli::run(cli, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("newsroom: {err:#}");
            ExitCode::FAILURE
        }
    }
}
