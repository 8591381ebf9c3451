//! Prints the TypeScript declarations of the wire types.
//!
//! `cargo run -p portcullis --features ts --example typescript > types.d.ts`

fn main() {
    print!("{}", portcullis::typescript::declarations());
}
