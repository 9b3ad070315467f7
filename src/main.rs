use insignia::auth::service;
use insignia::cli::{Cli, Command};
use insignia::server;
use insignia::state::{AppState, RuntimeConfig};
use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse_or_exit();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("insignia=info,tower_http=info,warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("insignia: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let url = cli.database_url()?;
    let store = insignia::store::connect(&url).await.map_err(|e| anyhow::anyhow!("cannot open the database: {e:#}"))?;
    match &cli.command {
        None | Some(Command::Serve) => {
            let state = AppState {
                leptos_options: server::leptos_options(&cli.site_root, cli.addr),
                jobs: insignia::assignments::runner::JobRunner::start(store.clone()),
                store,
                config: RuntimeConfig {
                    cookie_secure: cli.cookie_secure,
                    session_ttl: chrono::Duration::days(cli.session_days.into()),
                },
            };
            server::serve(state, cli.addr).await
        }
        Some(Command::CreateOwner { email }) => {
            let password = read_password()?;
            let account = service::create_owner(&store, email, &password).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("Owner {} created. Log in at http://{}/login", account.email, cli.addr);
            Ok(())
        }
        Some(Command::Seed { members, seed }) => {
            let report = insignia::cli::seed::seed_members(&store, *members, *seed).await?;
            println!("Added {} members in {:.1} s", report.members, report.seconds);
            Ok(())
        }
    }
}

/// The password comes from standard input: prompted without echo on a terminal, read as one
/// line from a pipe (for automation).
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Owner password: ")?;
        let again = rpassword::prompt_password("Repeat the password: ")?;
        anyhow::ensure!(first == again, "the two passwords differ");
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}
