use insignia::auth::actor::Actor;
use insignia::auth::key_service;
use insignia::auth::service;
use insignia::cli::{ApiKeyAction, Cli, Command, WebhookAction};
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
                key_limits: insignia::rate_limit::KeyLimits::per_minute(cli.api_rate_limit),
                live: insignia::live::follower::LiveHub::start(
                    store.clone(),
                    insignia::live::follower::MAX_CONNECTIONS,
                ),
                webhooks: insignia::webhooks::worker::DeliveryWorker::start(
                    store.clone(),
                    insignia::webhooks::worker::WorkerConfig::new(cli.public_url()),
                ),
                store,
                config: RuntimeConfig {
                    cookie_secure: cli.cookie_secure,
                    behind_proxy: cli.behind_proxy,
                    session_ttl: chrono::Duration::days(cli.session_days.into()),
                    audit_retention: cli.audit_retention_days.map(|d| chrono::Duration::days(d.into())),
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
        Some(Command::ApiKey { action }) => api_key(&store, action).await,
        Some(Command::Webhook { action }) => webhook(&store, action).await,
        Some(Command::Seed { members, seed }) => {
            let report = insignia::cli::seed::seed_members(&store, *members, *seed).await?;
            println!("Added {} members in {:.1} s", report.members, report.seconds);
            Ok(())
        }
    }
}

/// `insignia api-key …`: the key alone on standard output, so a script can capture it.
async fn api_key(store: &insignia::store::Store, action: &ApiKeyAction) -> anyhow::Result<()> {
    let failed = |e: insignia::error::AppError| anyhow::anyhow!("{e}");
    match action {
        ApiKeyAction::Create { name, scopes: Some(scopes), member: None } => {
            let created = key_service::create_site_key(store, &Actor::System, name, scopes).await.map_err(failed)?;
            println!("{}", created.secret);
        }
        ApiKeyAction::Create { name, member: Some(email), .. } => {
            let created = key_service::create_token_for(store, &Actor::System, email, name).await.map_err(failed)?;
            println!("{}", created.secret);
        }
        ApiKeyAction::Create { .. } => anyhow::bail!("give --scopes or --member"),
        ApiKeyAction::List => {
            for key in key_service::list_site_keys(store, &Actor::System).await.map_err(failed)? {
                let used = key.last_used_at.map_or("never".to_owned(), |t| t.format("%Y-%m-%d %H:%M").to_string());
                println!(
                    "{}\t{}\t{}\tcreated {}\tlast used {used}",
                    key.prefix,
                    key.name,
                    key.scopes,
                    key.created_at.format("%Y-%m-%d")
                );
            }
        }
        ApiKeyAction::Revoke { prefix } => {
            key_service::revoke_site_key(store, &Actor::System, prefix).await.map_err(failed)?;
            eprintln!("Revoked {prefix}");
        }
    }
    Ok(())
}

/// `insignia webhook …`: what a script needs on standard output, one value a line.
async fn webhook(store: &insignia::store::Store, action: &WebhookAction) -> anyhow::Result<()> {
    use insignia::webhooks::service;
    let failed = |e: insignia::error::AppError| anyhow::anyhow!("{e}");
    match action {
        WebhookAction::Add { url, format, events } => {
            let added = service::add(store, &Actor::System, url, format, events).await.map_err(failed)?;
            println!("{}", added.id);
            if let Some(secret) = added.secret {
                println!("{secret}");
            }
        }
        WebhookAction::List => {
            for e in service::page(store, &Actor::System).await.map_err(failed)?.endpoints {
                let state = if e.paused {
                    "paused"
                } else if e.failing_since.is_some() {
                    "failing"
                } else {
                    "active"
                };
                let events: Vec<&str> = e.event_types.iter().map(|t| t.as_str()).collect();
                println!("{}\t{}\t{}\t{state}\t{}", e.id, e.url, e.format.as_str(), events.join(","));
            }
        }
        WebhookAction::PublicKey => {
            print!("{}", insignia::webhooks::keys::public_pem(store).await.map_err(failed)?);
        }
    }
    Ok(())
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
