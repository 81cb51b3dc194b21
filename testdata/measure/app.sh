#!/usr/bin/env bash
# Measures the desktop app on a demo clinic, the way a person uses it: the
# time from starting the binary to its window, and to the owner signed in
# (the start-up check, opening the database and the password hash
# included), then the memory of the running app after a search and a
# client opened. Needs Xvfb, xdotool and sqlite3 (make test-deps).
#
#   testdata/measure/app.sh bin/needledesk /path/to/clinic.db
set -euo pipefail
bin=$(realpath "$1"); db=$(realpath "$2")
work=$(mktemp -d); app_pid=; xvfb_pid=
cleanup() { kill $app_pid $xvfb_pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cp "$db" "$work/clinic.db"
owner=$(sqlite3 -readonly "$work/clinic.db" "SELECT min(id) FROM staff WHERE role='owner' AND password_hash != ''")
mkdir -p "$work/fyne/com.needledesk.app"
echo "{\"actor_id\": $owner}" > "$work/fyne/com.needledesk.app/preferences.json"
display=:$((100 + RANDOM % 50))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp & xvfb_pid=$!
sleep 1
export DISPLAY=$display HOME=$work XDG_CONFIG_HOME=$work LANG=en_US.UTF-8
ms() { date +%s%3N; }
start=$(ms)
"$bin" --db "$work/clinic.db" > "$work/app.log" 2>&1 & app_pid=$!
until xdotool search --onlyvisible --name '^NeedleDesk' >/dev/null 2>&1; do sleep 0.02; done
window=$(ms)
win=$(xdotool search --onlyvisible --name '^NeedleDesk' | head -1)
xdotool windowfocus --sync "$win"
signins() { sqlite3 -readonly "$work/clinic.db" "SELECT count(*) FROM audit_event WHERE action='sign_in'" 2>/dev/null || echo 0; }
# The password field takes keys once the records are open; until then the
# keys go nowhere, so keep trying (clearing the field each time).
until [[ "$(signins)" -ge 1 ]]; do
	xdotool key ctrl+a BackSpace; xdotool type --delay 2 owner-demo; xdotool key Return
	sleep 0.1
done
signed=$(ms)
sleep 2
xdotool type --delay 120 "zoe"; sleep 2
xdotool key Down Return; sleep 3
rss=$(awk '/VmRSS/ {print $2}' /proc/$app_pid/status)
hwm=$(awk '/VmHWM/ {print $2}' /proc/$app_pid/status)
echo "window shown after:            $((window - start)) ms"
echo "owner signed in after:         $((signed - start)) ms (typing the password included)"
echo "memory after search + record:  $((rss / 1024)) MB resident, peak $((hwm / 1024)) MB"
kill -TERM $app_pid; wait $app_pid || true
