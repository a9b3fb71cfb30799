fn main() {
    // The UI bundle is embedded at compile time; cargo does not see new files there by itself.
    println!("cargo:rerun-if-changed=../ui/dist");
    tauri_build::build()
}
