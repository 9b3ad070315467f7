//! Command line and environment. Every option has a flag and an environment variable; a bad
//! value stops start-up with one line saying what is wrong.

pub mod seed;

use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "insignia",
    version,
    about = "Insignia: self-hosted member badges, a web dashboard and a REST API.",
    after_help = "With no DATABASE_URL, Insignia keeps its data in <DATA_DIR>/insignia.db (SQLite), \
                  created on first start. Open http://<ADDR>/setup to create the owner account."
)]
pub struct Cli {
    /// Address and port to listen on.
    #[arg(long, env = "INSIGNIA_ADDR", default_value = "127.0.0.1:3000", global = true)]
    pub addr: SocketAddr,

    /// Database: `sqlite:PATH` or `postgres://USER:PASS@HOST/DB`. Default: SQLite in the data
    /// directory.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,

    /// Directory for the SQLite database (uploaded images live in the database); created if missing.
    #[arg(long, env = "INSIGNIA_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// Directory with the built site (the `pkg/` bundle and public assets).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site", global = true)]
    pub site_root: PathBuf,

    /// Treat every request as HTTPS: `Secure`, `__Host-` session cookie and HSTS. Behind a proxy
    /// (`--behind-proxy`) that sets `X-Forwarded-Proto`, this is decided per request without it.
    #[arg(long, env = "INSIGNIA_COOKIE_SECURE", global = true)]
    pub cookie_secure: bool,

    /// Insignia is reached through a reverse proxy that appends the client's address to
    /// `X-Forwarded-For`: login throttling counts by that address instead of the proxy's.
    #[arg(long, env = "INSIGNIA_BEHIND_PROXY", global = true)]
    pub behind_proxy: bool,

    /// Days a login stays valid.
    #[arg(long, env = "INSIGNIA_SESSION_DAYS", default_value_t = 30,
          value_parser = clap::value_parser!(u16).range(1..=365), global = true)]
    pub session_days: u16,

    /// The address people and webhook receivers reach Insignia at (`https://badges.example.com`),
    /// for links in what Insignia sends. Default: `http://<ADDR>`.
    #[arg(long, env = "INSIGNIA_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Days audit entries are kept (at least 7: a webhook delivery is retried for about a day).
    /// Default: kept for good.
    #[arg(long, env = "INSIGNIA_AUDIT_RETENTION_DAYS",
          value_parser = clap::value_parser!(u32).range(7..=36_500), global = true)]
    pub audit_retention_days: Option<u32>,

    /// REST requests each API key or member token may make a minute; more answer 429.
    #[arg(long, env = "INSIGNIA_API_RATE_LIMIT", default_value_t = crate::rate_limit::DEFAULT_PER_MINUTE,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000), global = true)]
    pub api_rate_limit: u32,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (the default).
    Serve,
    /// Create the owner account; reads the password from standard input.
    CreateOwner {
        #[arg(long)]
        email: String,
    },
    /// Manage REST API keys and members' personal tokens.
    ApiKey {
        #[command(subcommand)]
        action: ApiKeyAction,
    },
    /// Manage webhooks (as Dashboard → Settings → Webhooks does).
    Webhook {
        #[command(subcommand)]
        action: WebhookAction,
    },
    /// Add realistic sample members (without logins), for trying Insignia at scale.
    Seed {
        /// How many members to add.
        #[arg(long, default_value_t = 1000)]
        members: usize,
        /// Seed of the random generator: the same seed gives the same people.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum ApiKeyAction {
    /// Create a site key with scopes, or with --member a token acting as that member; prints
    /// only the key (it is shown this once).
    Create {
        /// What the key is for, e.g. "Loyalty app".
        #[arg(long)]
        name: String,
        /// Comma-separated: badges.read, badges.manage, members.read, members.manage.
        #[arg(long, required_unless_present = "member", conflicts_with = "member")]
        scopes: Option<String>,
        /// The login email of an existing member: the token has that member's powers.
        #[arg(long)]
        member: Option<String>,
    },
    /// List the site keys: prefix, name, scopes, created, last used.
    List,
    /// Revoke the site key with this prefix.
    Revoke { prefix: String },
}

#[derive(Debug, Subcommand)]
pub enum WebhookAction {
    /// Add a receiver; prints its id (and, for Standard Webhooks, its signing secret).
    Add {
        /// https://…, or http://localhost… for a receiver on this machine.
        #[arg(long)]
        url: String,
        /// `sdk` (a JWT the published SDK verifies) or `standard` (Standard Webhooks).
        #[arg(long, default_value = "sdk")]
        format: String,
        /// Comma-separated event types, e.g. wix.badges.v4.badge_created.
        #[arg(long, value_delimiter = ',', required = true)]
        events: Vec<String>,
    },
    /// List the receivers.
    List,
    /// Print the public key SDK-format receivers verify deliveries with (SPKI PEM).
    PublicKey,
}

impl Cli {
    /// Parses the command line; on a bad value prints one line and exits with status 2.
    pub fn parse_or_exit() -> Cli {
        match Cli::try_parse() {
            Ok(cli) => cli,
            Err(e)
                if matches!(e.kind(), clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion) =>
            {
                e.exit()
            }
            Err(e) => {
                let rendered = e.render().to_string();
                let first = rendered.lines().next().unwrap_or("error: invalid arguments");
                eprintln!("{first} (see insignia --help)");
                std::process::exit(2);
            }
        }
    }

    /// The address Insignia is reached at, without a trailing slash: `--public-url`, else
    /// `http://<ADDR>`.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.addr),
        }
    }

    /// The database URL to use: the one given, or SQLite in the data directory.
    pub fn database_url(&self) -> anyhow::Result<String> {
        match &self.database_url {
            Some(url)
                if url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://") =>
            {
                Ok(url.clone())
            }
            Some(other) => {
                let scheme = other.split(':').next().unwrap_or_default();
                anyhow::bail!("DATABASE_URL must start with sqlite: or postgres:// (got scheme {scheme:?})")
            }
            None => {
                std::fs::create_dir_all(&self.data_dir)
                    .map_err(|e| anyhow::anyhow!("cannot create data directory {}: {e}", self.data_dir.display()))?;
                Ok(format!("sqlite://{}", self.data_dir.join("insignia.db").display()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("insignia").chain(args.iter().copied()))
    }

    #[test]
    fn defaults() {
        let cli = parse(&[]).unwrap();
        assert_eq!(cli.addr.to_string(), "127.0.0.1:3000");
        assert!(cli.command.is_none());
        assert_eq!(cli.session_days, 30);
    }

    #[test]
    fn bad_values_are_refused() {
        assert!(parse(&["--addr", "nowhere"]).is_err());
        assert!(parse(&["--session-days", "0"]).is_err());
    }

    #[test]
    fn database_url_scheme_is_checked() {
        let cli = parse(&["--database-url", "mysql://x"]).unwrap();
        assert!(cli.database_url().unwrap_err().to_string().contains("sqlite: or postgres://"));
        let cli = parse(&["--database-url", "postgres://u@h/db"]).unwrap();
        assert_eq!(cli.database_url().unwrap(), "postgres://u@h/db");
    }

    #[test]
    fn api_keys_take_scopes_or_a_member_not_both() {
        let cli = parse(&["api-key", "create", "--name", "Bot", "--scopes", "badges.manage"]).unwrap();
        assert!(matches!(cli.command, Some(Command::ApiKey { action: ApiKeyAction::Create { .. } })));
        assert!(parse(&["api-key", "create", "--name", "Bot"]).is_err());
        assert!(parse(&["api-key", "create", "--name", "Bot", "--scopes", "badges.read", "--member", "a@b.c"]).is_err());
        assert!(parse(&["api-key", "create", "--name", "Me", "--member", "a@b.c"]).is_ok());
        assert!(parse(&["api-key", "revoke", "ins_abcdefgh"]).is_ok());
    }

    #[test]
    fn create_owner_takes_an_email() {
        let cli = parse(&["create-owner", "--email", "o@example.com"]).unwrap();
        assert!(matches!(cli.command, Some(Command::CreateOwner { ref email }) if email == "o@example.com"));
    }
}
