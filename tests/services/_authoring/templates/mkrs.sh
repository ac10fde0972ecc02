# usage: mkrs.sh BASE_DIR TITLE NAME MODULE TYPE
set -e
T="$(dirname "$0")/rs"
mkdir -p "$1/src" "$1/.cargo"
for f in main.rs Cargo.toml; do
  dest="$1/$f"; [ "$f" = main.rs ] && dest="$1/src/main.rs"
  sed -e "s#@TITLE@#$2#" -e "s#@NAME@#$3#g" -e "s#@MOD@#$4#g" -e "s#@TYPE@#$5#g" "$T/$f" > "$dest"
done
cp "$T/config.toml" "$1/.cargo/config.toml"
printf '/target\n' > "$1/.gitignore"
