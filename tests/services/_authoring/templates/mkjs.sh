# usage: mkjs.sh BASE_DIR TITLE NAME MODULE CLASS
set -e
mkdir -p "$1/src" "$1/test"
sed -e "s#@TITLE@#$2#" -e "s#@MOD@#$4#g" -e "s#@CLASS@#$5#g" "$(dirname "$0")/js/server.js" > "$1/src/server.js"
cat > "$1/package.json" <<JSON
{
  "name": "$3",
  "version": "1.0.0",
  "private": true,
  "description": "$2",
  "main": "src/server.js",
  "scripts": {
    "start": "node src/server.js",
    "test": "node --test test/"
  }
}
JSON
printf 'node_modules/\n' > "$1/.gitignore"
