use clap::Parser;

fn main() {
    let cli = bdtx::cmd::Cli::parse();
    if let Err(e) = bdtx::cmd::dispatch(cli) {
        eprintln!("Lỗi: {e:#}");
        std::process::exit(1);
    }
}
