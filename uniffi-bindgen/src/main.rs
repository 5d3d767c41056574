//! The UniFFI binding generator, built from the workspace so its version matches the
//! `uniffi` the Kotlin binding crate uses. Run the built binary (not `cargo run`):
//! `target/debug/uniffi-bindgen generate --library target/debug/libwebcare_kotlin.so --language kotlin`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
