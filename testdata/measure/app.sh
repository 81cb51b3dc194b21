#!/usr/bin/env bash
# Measures the desktop app the way a person uses it, beside an empty Fyne
# window (testdata/measure/emptywindow, built from the same go.mod and
# started the same way under the same Xvfb): the time from starting the
# binary to its window, and to the owner signed in (typing the password as
# soon as the field takes keys), then the resident memory after a search
# and a client opened. The sign-in time is the time the sign-in's audit row
# carries: with the file checked in the background the row may be written
# a moment later, dated when the password was accepted.
# Needs Xvfb, xdotool and sqlite3 (make test-deps).
#
#   testdata/measure/app.sh bin/needledesk emptywindow-binary clinic.db [clinic.db...]
set -euo pipefail
bin=$(realpath "$1"); empty=$(realpath "$2"); shift 2
work=$(mktemp -d); app_pid=; xvfb_pid=
cleanup() { kill $app_pid 2>/dev/null || true; kill -TERM $xvfb_pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
display=:$((100 + RANDOM % 50))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp & xvfb_pid=$!
sleep 1
export DISPLAY=$display LANG=en_US.UTF-8
ms() { date +%s%3N; }
waitWindow() { until xdotool search --onlyvisible --name "$1" >/dev/null 2>&1; do sleep 0.02; done; }
mem() { echo "$(( $(awk '/VmRSS/ {print $2}' /proc/$app_pid/status) / 1024 )) MB"; }

# The empty window: shown, then the same pauses as the app, then its memory.
export HOME=$work/empty XDG_CONFIG_HOME=$work/empty; mkdir -p "$HOME"
start=$(ms); "$empty" > "$work/empty.log" 2>&1 & app_pid=$!
waitWindow '^Empty window$'; shown=$(ms); sleep 7
printf '%-28s %-10s %-16s %s\n' "" "window" "owner signed in" "memory after search + record"
printf '%-28s %-10s %-16s %s\n' "empty Fyne window" "$((shown - start)) ms" "-" "$(mem)"
kill -TERM $app_pid; wait $app_pid || true; app_pid=

for db in "$@"; do
	db=$(realpath "$db"); name=$(basename "$db")
	rm -rf "$work/run"; mkdir -p "$work/run/fyne/com.needledesk.app"
	cp "$db" "$work/run/clinic.db"
	export HOME=$work/run XDG_CONFIG_HOME=$work/run
	owner=$(sqlite3 -readonly "$work/run/clinic.db" "SELECT min(id) FROM staff WHERE role='owner' AND password_hash != ''")
	echo "{\"actor_id\": $owner}" > "$work/run/fyne/com.needledesk.app/preferences.json"
	signins() { sqlite3 -readonly "$work/run/clinic.db" "SELECT count(*) FROM audit_event WHERE action='sign_in'" 2>/dev/null || echo 0; }
	before=$(signins)
	start=$(ms)
	"$bin" --db "$work/run/clinic.db" > "$work/app.log" 2>&1 & app_pid=$!
	waitWindow '^NeedleDesk'; window=$(ms)
	win=$(xdotool search --onlyvisible --name '^NeedleDesk' | head -1)
	xdotool windowfocus --sync "$win"
	# The password field takes keys once the records are open; until then
	# the keys go nowhere, so keep trying (clearing the field each time).
	# The row is looked for on its own time, which may be written later.
	tries=0
	until [[ "$(signins)" -gt "$before" ]]; do
		if (( tries < 30 )); then xdotool key ctrl+a BackSpace; xdotool type --delay 2 owner-demo; xdotool key Return; fi
		tries=$((tries + 1)); sleep 0.1
	done
	at=$(sqlite3 -readonly "$work/run/clinic.db" "SELECT at FROM audit_event WHERE action='sign_in' ORDER BY id DESC LIMIT 1")
	signed=$(( $(date -d "$at" +%s%N) / 1000000 ))
	sleep 2
	xdotool type --delay 120 "zoe"; sleep 2
	xdotool key Down Return; sleep 3
	printf '%-28s %-10s %-16s %s\n' "NeedleDesk, $name" "$((window - start)) ms" "$((signed - start)) ms" "$(mem)"
	kill -TERM $app_pid; wait $app_pid || true; app_pid=
done
