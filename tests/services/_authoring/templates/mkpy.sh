# usage: mkpy.sh BASE_DIR TITLE MODULE CLASS
set -e
mkdir -p "$1/app" "$1/tests"
sed -e "s#@TITLE@#$2#" -e "s#@MODULE@#$3#" -e "s#@CLASS@#$4#g" "$(dirname "$0")/server.py" > "$1/app/server.py"
cp "$(dirname "$0")/pygitignore" "$1/.gitignore"
