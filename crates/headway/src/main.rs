//! `headway`: the command-line entry point.

/// `println!` that returns the write error instead of panicking, so that output piped into
/// a reader that stops early (`| head`) ends the command quietly (`quiet_broken_pipe`).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

mod bench;
mod config;
mod demo_round;
mod group;
mod sample;
mod worker;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use config::{Config, Overrides};
use headway_domain::accounts::{NewPassword, Role, Username};
use headway_store::accounts::NewAccount;
use headway_store::feedback::Answering;
use headway_store::import::bundled::{BUNDLED, INDICATORS};
use headway_store::{Dataset, DbConfig, Store};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::BufRead;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "headway",
    version,
    about = "Headway: the platform for the organisations that develop school leaders"
)]
struct Cli {
    /// A TOML configuration file (default: ./headway.toml when present).
    #[arg(long, global = true, env = "HEADWAY_CONFIG")]
    config: Option<PathBuf>,
    /// sqlite://file.db or postgres://user@host/db
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create (or reuse) a demo database here, load the bundled public data and demo accounts, and serve.
    Demo {
        /// host:port
        #[arg(long)]
        listen: Option<String>,
    },
    /// Serve an existing database.
    Serve {
        /// host:port
        #[arg(long)]
        listen: Option<String>,
    },
    /// Apply pending migrations.
    Migrate,
    /// Import a public data file (all or nothing; idempotent).
    Import {
        /// One of: nl-municipalities, nl-boards, nl-schools, no-municipalities, no-regions,
        /// si-regions, si-municipalities, si-municipality-regions, si-institutions
        dataset: String,
        file: PathBuf,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Form groups (diverse, regional or balanced) from a CSV, or benchmark the solver.
    Group(Box<GroupArgs>),
    /// Generate data for demos and benchmarks.
    Generate {
        #[command(subcommand)]
        command: GenerateCommand,
    },
    /// The tamper-evident audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add an account. The password is read from standard input (one line).
    Add {
        #[arg(long)]
        username: String,
        /// admin, coordinator, advisor, owner or leader
        #[arg(long)]
        role: String,
        /// The name shown on pages.
        #[arg(long)]
        name: String,
        /// The organisation the account acts for (id from the directory).
        #[arg(long)]
        organization: Option<i32>,
    },
}

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
struct GroupArgs {
    #[command(subcommand)]
    command: Option<GroupCommand>,
    #[command(flatten)]
    run: group::GroupRun,
}

#[derive(Subcommand)]
enum GroupCommand {
    /// Run benchmark instances (MDGPLIB, CCPLIB) against best-known values.
    Bench {
        /// A folder of instance files (*.txt), searched recursively.
        #[arg(long)]
        instances: PathBuf,
        /// CSV of best-known values (`instance` and `recomputed_double`, `bks` or `f_within_cluster_max`).
        #[arg(long)]
        bks: PathBuf,
        #[arg(long, default_value_t = 1)]
        runs: u32,
        /// Multiplies the standard time limits.
        #[arg(long, default_value_t = 1.0)]
        time_scale: f64,
        #[arg(long, default_value_t = 1)]
        threads: usize,
        /// Only instances whose path contains this text.
        #[arg(long)]
        filter: Option<String>,
    },
}

#[derive(Subcommand)]
enum GenerateCommand {
    /// Leaders sampled from the shipped DUO school list, as CSV for `headway group`
    /// (province, denomination, environment, pupil band): grouping at national scale.
    Leaders {
        #[arg(long, default_value_t = 4300)]
        count: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The CSV to write; standard output when not given.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// The events benchmark's fixtures (`bench/events.sh`): an event with many
    /// registrations, a person's feed of many events, and accounts that register at once.
    Events {
        #[arg(long, default_value_t = 5000)]
        registrations: u32,
        #[arg(long, default_value_t = 200)]
        feed_events: u32,
        #[arg(long, default_value_t = 64)]
        writers: u32,
        /// The writers' password.
        #[arg(long, default_value = "bench writer password")]
        password: String,
    },
    /// The feedback benchmark's fixtures (`bench/feedback.sh`): a survey of twenty questions
    /// with SETS answer sets and LINKS people asked who have not answered yet.
    Feedback {
        #[arg(long, default_value_t = 10_000)]
        sets: u32,
        #[arg(long, default_value_t = 30_000)]
        links: u32,
        /// Where to write the unanswered personal links, one per line.
        #[arg(long)]
        links_file: PathBuf,
    },
    /// A register of generated leaders over the directory's Dutch schools.
    Register {
        #[arg(long)]
        leaders: u64,
        #[arg(long, default_value_t = 10)]
        activities_per_leader: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute every hash of the chain; exits non-zero if anything was altered.
    Verify,
}

fn init_tracing(format: &str) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("HEADWAY_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,tower_sessions=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn open(cfg: &Config) -> Result<Store> {
    let store = Store::connect(&DbConfig {
        url: cfg.database_url.clone(),
        max_connections: cfg.max_connections,
    })
    .await
    .with_context(|| {
        format!(
            "connecting to {}",
            headway_store::redact_url(&cfg.database_url)
        )
    })?;
    store.migrate().await.context("applying migrations")?;
    cfg.guidance.rules().map_err(anyhow::Error::msg)?;
    cfg.guidance.small_owners().map_err(anyhow::Error::msg)?;
    Ok(store.with_least_counts(cfg.guidance.least_counts()))
}

fn progress_bar(label: &str) -> ProgressBar {
    let pb = ProgressBar::new(0);
    pb.set_style(
        ProgressStyle::with_template("{msg:>24} [{bar:30}] {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_message(label.to_owned());
    pb
}

async fn import_one(store: &Store, dataset: Dataset, name: &str, bytes: &[u8]) -> Result<()> {
    let pb = progress_bar(dataset.name());
    let report = store
        .import(dataset, name, bytes, &|done, total| {
            pb.set_length(total);
            pb.set_position(done);
        })
        .await;
    pb.finish_and_clear();
    let report = report?;
    println!("{:<24} {report}", dataset.name());
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing requests in flight");
}

async fn serve(cfg: &Config, store: Store) -> Result<()> {
    // The public register is answered from memory; load it in the background.
    let store = store.with_public_index().with_directory_index();
    let warm = store.clone();
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        match warm.public_search_indexed("", 1).await {
            Ok(_) => tracing::info!(
                secs = started.elapsed().as_secs_f64(),
                "public register index loaded"
            ),
            Err(e) => tracing::warn!(error = %e, "public register index not loaded"),
        }
    });
    let time_zone = cfg.time_zone.parse::<chrono_tz::Tz>().map_err(|_| {
        anyhow::anyhow!(
            "time_zone: `{}` is not an IANA time zone (e.g. Europe/Amsterdam)",
            cfg.time_zone
        )
    })?;
    let language = headway_domain::language::Lang::parse(&cfg.language).ok_or_else(|| {
        anyhow::anyhow!("language: `{}` is not one of en, nl, nb, sl", cfg.language)
    })?;
    let web = headway_web::WebConfig {
        listen: cfg.listen.clone(),
        secure_cookies: cfg.secure_cookies,
        session_idle_minutes: cfg.session_idle_minutes,
        register: cfg.register.clone(),
        time_zone,
        language,
        public_url: cfg.public_url.clone(),
        counselling_note_days: cfg.counselling_note_days,
        guidance: cfg.guidance.rules().map_err(anyhow::Error::msg)?,
        small_owners: cfg.guidance.small_owners().map_err(anyhow::Error::msg)?,
    };
    let app = headway_web::Application::build(web, store.clone())
        .await
        .with_context(|| format!("listening on {}", cfg.listen))?;
    let addr = app.local_addr();
    let store_for_worker = store.clone();
    tracing::info!(%addr, "serving");
    println!("Headway is running at http://{addr}/");
    // Expired sessions and login attempts older than the throttling window are removed
    // every ten minutes by whichever server runs this; any may, each step is idempotent.
    let sweeper = tokio::spawn(async move {
        use tower_sessions::session_store::ExpiredDeletion;
        let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            every.tick().await;
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "removing expired sessions failed");
            }
            if let Err(e) = store.prune_login_attempts().await {
                tracing::warn!(error = %e, "removing old login attempts failed");
            }
            // Answers written since the last sweep lose the order they came in.
            if let Err(e) = store.reorder_answers().await {
                tracing::warn!(error = %e, "reordering survey answers failed");
            }
        }
    });
    let letters = headway_web::ui::mail::FluentLetters::new(language);
    let lease = std::time::Duration::from_secs(cfg.job_lease_secs.max(2));
    let rounds = headway_web::rounds::runner::Runner {
        lease,
        // Renewed well before it runs out.
        renew_every: (lease / 3).min(std::time::Duration::from_secs(1)),
        ..headway_web::rounds::runner::Runner::new(format!(
            "{}:{}:{}",
            hostname(),
            std::process::id(),
            addr.port()
        ))
    };
    let rounds = tokio::spawn(rounds.run_forever(store_for_worker.clone()));
    let worker = tokio::spawn(worker::run(cfg.clone(), store_for_worker, letters));
    app.run_until(shutdown_signal()).await?;
    sweeper.abort();
    worker.abort();
    rounds.abort();
    Ok(())
}

/// This machine's name, for the owner of a job's lease.
fn hostname() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "headway".into())
}

/// A reader that closed the pipe has all it wanted: success, not an error.
fn quiet_broken_pipe(e: anyhow::Error) -> Result<()> {
    match e.downcast_ref::<std::io::Error>() {
        Some(io) if io.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        _ => Err(e),
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    if let Command::Group(g) = &cli.command {
        return match &g.command {
            Some(GroupCommand::Bench {
                instances,
                bks,
                runs,
                time_scale,
                threads,
                filter,
            }) => bench::run(&bench::BenchArgs {
                instances: instances.clone(),
                bks: bks.clone(),
                runs: *runs,
                time_scale: *time_scale,
                threads: *threads,
                filter: filter.clone(),
            }),
            None => group::run(&g.run),
        }
        .or_else(quiet_broken_pipe);
    }
    let (defaults, listen) = match &cli.command {
        Command::Demo { listen } => (
            Config {
                database_url: "sqlite://headway-demo.db".into(),
                ..Config::default()
            },
            listen.clone(),
        ),
        Command::Serve { listen } => (Config::default(), listen.clone()),
        _ => (Config::default(), None),
    };
    let cfg = Config::load(
        cli.config.as_deref(),
        defaults,
        Overrides {
            database_url: cli.database_url.clone(),
            listen,
        },
    )?;
    init_tracing(&cfg.log_format);
    tracing::debug!(config = ?cfg, "configuration");

    match cli.command {
        Command::Demo { .. } => {
            let store = open(&cfg).await?;
            if store.directory_counts().await?.organizations == 0 {
                println!(
                    "Loading the bundled public data (DUO, SSB/Kartverket, GURS, Udir, FHI, OpenStreetMap) …"
                );
                for (d, path, bytes) in BUNDLED.into_iter().chain(INDICATORS) {
                    import_one(&store, d, path, bytes).await?;
                }
            }
            let mut logins = store.seed_demo().await?;
            logins.extend(store.seed_guidance_demo().await?);
            demo_round::seed_round(&store).await?;
            println!(
                "\nDemo accounts (password for all: {}):",
                headway_store::demo::DEMO_PASSWORD
            );
            for l in logins {
                println!("  {:<12} {:<12} {}", l.username, l.role, l.what);
            }
            println!();
            serve(&cfg, store).await
        }
        Command::Serve { .. } => {
            let store = open(&cfg).await?;
            serve(&cfg, store).await
        }
        Command::Migrate => {
            open(&cfg).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Import { dataset, file } => {
            let dataset = Dataset::parse(&dataset).map_err(anyhow::Error::msg)?;
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let store = open(&cfg).await?;
            import_one(&store, dataset, &file.display().to_string(), &bytes).await
        }
        Command::User {
            command:
                UserCommand::Add {
                    username,
                    role,
                    name,
                    organization,
                },
        } => {
            let username =
                Username::parse(&username).map_err(|e| anyhow::anyhow!("--username: {e}"))?;
            let role = Role::parse(&role).map_err(|e| anyhow::anyhow!("--role: {e}"))?;
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("reading the password from standard input")?;
            let password = NewPassword::parse(line.trim_end_matches(['\n', '\r']))
                .map_err(|e| anyhow::anyhow!("password (standard input): {e}"))?;
            let new = NewAccount {
                username,
                password,
                role,
                display_name: name,
                organization_id: organization,
                person_id: None,
            };
            let store = open(&cfg).await?;
            let a = store.create_account("system:cli", new).await?;
            println!("created {} ({})", a.username, a.role);
            Ok(())
        }
        Command::Group(_) => unreachable!("handled before the configuration is loaded"),
        Command::Generate {
            command:
                GenerateCommand::Leaders {
                    count,
                    seed,
                    output,
                },
        } => match output {
            Some(path) => {
                let mut f = std::fs::File::create(&path)
                    .with_context(|| format!("writing {}", path.display()))?;
                sample::leaders(count, seed, &mut f)
            }
            None => sample::leaders(count, seed, &mut std::io::stdout().lock()),
        },
        Command::Generate {
            command:
                GenerateCommand::Register {
                    leaders,
                    activities_per_leader,
                    seed,
                },
        } => {
            let store = open(&cfg).await?;
            if store.directory_counts().await?.organizations == 0 {
                for (d, path, bytes) in BUNDLED {
                    import_one(&store, d, path, bytes).await?;
                }
            }
            let pb = progress_bar("leaders");
            let started = std::time::Instant::now();
            let r = store
                .generate_register(
                    leaders,
                    activities_per_leader,
                    seed,
                    chrono::Utc::now().date_naive(),
                    &cfg.register,
                    &|done, total| {
                        pb.set_length(total);
                        pb.set_position(done);
                    },
                )
                .await;
            pb.finish_and_clear();
            let r = r?;
            println!(
                "generated {} leaders, {} activities, {} search words in {:.1} s",
                r.leaders,
                r.activities,
                r.words,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Generate {
            command:
                GenerateCommand::Events {
                    registrations,
                    feed_events,
                    writers,
                    password,
                },
        } => {
            let store = open(&cfg).await?;
            let started = std::time::Instant::now();
            let b = store
                .generate_events_bench(registrations, feed_events, writers, &password)
                .await?;
            println!("list_event={}", b.list_event);
            println!("feed={}", b.feed);
            println!("write_event={}", b.write_event);
            println!("writers={}", b.writers.join(","));
            eprintln!("generated in {:.1} s", started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Generate {
            command:
                GenerateCommand::Feedback {
                    sets,
                    links,
                    links_file,
                },
        } => {
            let store = open(&cfg).await?;
            let started = std::time::Instant::now();
            let today = chrono::Utc::now().date_naive();
            let b = store.generate_feedback_bench(sets, links, today).await?;
            std::fs::write(&links_file, b.links.join("\n") + "\n")
                .with_context(|| format!("writing {}", links_file.display()))?;
            println!("survey={}", b.survey);
            println!("wave={}", b.wave);
            eprintln!("generated in {:.1} s", started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let store = open(&cfg).await?;
            match store.verify_audit().await {
                Ok(v) => {
                    println!(
                        "audit chain verifies: {} entries, head {}",
                        v.entries, v.head_seq
                    );
                    Ok(())
                }
                Err(e) => bail!("audit chain does NOT verify: {e}"),
            }
        }
    }
}
