use clap::Parser;

// Millions of small records are made in parallel and freed: mimalloc is faster at that than
// the system allocator and gives freed pages back instead of keeping them fragmented.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = bdtx::cmd::Cli::parse();
    if let Err(e) = bdtx::cmd::dispatch(cli) {
        eprintln!("Lỗi: {}", bdtx::cmd::error_text(&e));
        std::process::exit(1);
    }
}
