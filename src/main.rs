use clap::Parser;
use connect2030::cli::{AdminKeyAction, Cli, Command, ReporterAction};
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
        Command::AdminKey { action: AdminKeyAction::Create { name } } => {
            let state = startup::prepare(&Settings::from_cli(&cli, &Default::default())?)?;
            println!("{}", connect2030::admin::create_admin_key(&state, &name)?);
            Ok(())
        }
        Command::Reporter { action: ReporterAction::Create { country, name } } => {
            let state = startup::prepare(&Settings::from_cli(&cli, &Default::default())?)?;
            println!("{}", connect2030::admin::create_reporter(&state, &country, &name)?);
            Ok(())
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
