use clap::Parser;
use connect2030::cli::{AdminKeyAction, Cli, Command, KeyAction, ReporterAction};
use connect2030::{admin, config::Settings, startup, telemetry};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(cli.log_format);
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line with every cause ("a: b: c"), never a backtrace: this is for operators.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> anyhow::Result<()> {
    let settings = || Settings::from_cli(cli, &cli.serve);
    match cli.command() {
        Command::Openapi => println!("{}", connect2030::routes::openapi_json()),
        Command::Migrate => startup::migrate_only(&settings()?)?,
        Command::Backup { to } => {
            let bytes = connect2030::db::backup::backup(&settings()?.database, &to)?;
            tracing::info!(to = %to.display(), bytes, "database backed up");
        }
        Command::AdminKey { action: AdminKeyAction::Create { name } } => {
            println!("{}", admin::create_admin_key(&startup::prepare(&settings()?)?, &name)?)
        }
        Command::Reporter { action } => {
            let state = startup::prepare(&settings()?)?;
            match action {
                ReporterAction::Create { country, name } => {
                    println!("{}", admin::create_reporter(&state, &country, &name)?)
                }
                ReporterAction::List => print!("{}", admin::list_reporters(&state)?),
            }
        }
        Command::Key { action } => {
            let state = startup::prepare(&settings()?)?;
            match action {
                KeyAction::Create { reporter } => println!("{}", admin::create_key(&state, reporter)?),
                KeyAction::Revoke { id } => println!("{}", admin::revoke_key(&state, id)?),
            }
        }
        Command::Serve(serve) => {
            let settings = Settings::from_cli(cli, &serve)?;
            actix_web::rt::System::new().block_on(async move {
                let app = startup::Application::build(settings).await?;
                app.run().await
            })?
        }
    }
    Ok(())
}
