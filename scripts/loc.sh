#!/usr/bin/env bash
# Lines of Java per module (main / test), non-blank, non-comment-only lines.
cd "$(dirname "$0")/.."
count() { [ -d "$1" ] && find "$1" -name '*.java' -print0 | xargs -0r cat | grep -vE '^\s*($|//|\*|/\*)' | wc -l || echo 0; }
printf '%-10s %8s %8s\n' module main test
tm=0; tt=0
for m in core autodiff envs models cuda bench cli; do
  a=$(count $m/src/main/java); b=$(count $m/src/test/java); tm=$((tm+a)); tt=$((tt+b))
  printf '%-10s %8d %8d\n' "$m" "$a" "$b"
done
printf '%-10s %8d %8d\n' total "$tm" "$tt"
