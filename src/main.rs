//! The `consulex` binary: parses arguments, sets up logging and runs a command (see `cli`).

fn main() {
    std::process::exit(consulex::cli::main());
}
