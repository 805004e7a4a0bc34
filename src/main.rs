use clap::Parser;
use connect2030::cli::{Cli, Command};
use connect2030::{config::Settings, startup, telemetry};

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    telemetry::init(cli.log_format);
    let command = cli.command.clone().unwrap_or(Command::Serve(Default::default()));
    match command {
        Command::Openapi => {
            println!("{}", connect2030::routes::openapi_json());
            Ok(())
        }
        Command::Migrate => {
            let settings = Settings::from_cli(&cli, &Default::default())?;
            startup::migrate_only(&settings)
        }
        Command::Serve(serve) => {
            let settings = Settings::from_cli(&cli, &serve)?;
            actix_web::rt::System::new().block_on(async move {
                let app = startup::Application::build(settings).await?;
                app.run().await
            })
        }
    }
}
