//! The `consulex` binary: parses arguments, sets up logging and runs a command (see `cli`).

// glibc's allocator was a quarter of the server's CPU time under load (search builds and drops
// many small vectors and strings per request); mimalloc's thread-local free lists cut that.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(consulex::cli::main());
}
