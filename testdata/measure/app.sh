#!/usr/bin/env bash
# Measures the desktop app the way a person uses it, beside an empty Fyne
# window (testdata/measure/emptywindow, built from the same go.mod and
# started the same way under the same Xvfb): the time from starting the
# binary to its window, and to the owner signed in (typing the password as
# soon as the field takes keys), then the resident memory after a search
# and a client opened, and where that memory is. The sign-in time is the
# time the sign-in's audit row carries: with the file checked in the
# background the row may be written a moment later, dated when the
# password was accepted.
#
# Every measured start is an ordinary one, as every start but the first
# after installing or upgrading:
#   - each database is first brought to this build's schema, on a copy,
#     by a command (needledesk clients), so that the start measures the
#     app and not a one-off upgrade; the copy keeps no record of today's
#     full check, so the app checks it in the background, as on the first
#     start of a day;
#   - one cache folder serves every run, and each program is started once
#     before it is measured, so that each start finds fontscan's index of
#     the computer's fonts, Mesa's compiled shaders and NeedleDesk's font
#     files in place.
# Needs Xvfb, xdotool and sqlite3 (make test-deps).
#
#   testdata/measure/app.sh bin/needledesk emptywindow-binary clinic.db [clinic.db...]
set -euo pipefail
bin=$(realpath "$1"); empty=$(realpath "$2"); shift 2
work=$(mktemp -d); app_pid=; xvfb_pid=
cleanup() { kill $app_pid 2>/dev/null || true; kill -TERM $xvfb_pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
n=$((100 + RANDOM % 50))
while [[ -e /tmp/.X$n-lock || -e /tmp/.X11-unix/X$n ]]; do n=$((n + 1)); done
display=:$n
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp 2>/dev/null & xvfb_pid=$!
until DISPLAY=$display xdotool getdisplaygeometry >/dev/null 2>&1; do sleep 0.05; done
export DISPLAY=$display LANG=en_US.UTF-8 XDG_CACHE_HOME=$work/cache
ms() { date +%s%3N; }
waitWindow() { until xdotool search --onlyvisible --name "$1" >/dev/null 2>&1; do sleep 0.02; done; }
mem() { echo "$(( $(awk '/VmRSS/ {print $2}' /proc/$app_pid/status) / 1024 )) MB"; }
# where: the resident memory by kind, in MB: anonymous (the Go heap and
# other memory the program asks for without malloc), the C heap (malloc:
# GL, X11), the program file's pages, shared libraries' pages.
where() {
	awk -v prog="$1" '
		/^[0-9a-f]+-[0-9a-f]+ / { name = (NF >= 6) ? $6 : ""; next }
		/^Rss:/ {
			if (name == "[heap]") heap += $2
			else if (name == prog) file += $2
			else if (name ~ /^\//) libs += $2
			else anon += $2
		}
		END { printf "%d / %d / %d / %d MB\n", anon / 1024, heap / 1024, file / 1024, libs / 1024 }
	' "/proc/$app_pid/smaps"
}
stop() { kill -TERM $app_pid; wait $app_pid || true; app_pid=; }

# Each database brought to this build's schema, once, on a copy.
ready=(); names=()
for db in "$@"; do
	copy="$work/ready-${#ready[@]}.db"
	cp "$(realpath "$db")" "$copy"
	"$bin" clients --db "$copy" --find "no client has this name" > /dev/null
	ready+=("$copy"); names+=("$(basename "$db")")
done

# One start of each program, to fill the caches.
export HOME=$work/warm XDG_CONFIG_HOME=$work/warm; mkdir -p "$HOME"
"$empty" > /dev/null 2>&1 & app_pid=$!; waitWindow '^Empty window$'; sleep 1; stop
cp "${ready[0]}" "$work/warm/clinic.db"
"$bin" --db "$work/warm/clinic.db" > /dev/null 2>&1 & app_pid=$!; waitWindow '^NeedleDesk'; sleep 1; stop

# The empty window: shown, then the same pauses as the app, then its memory.
export HOME=$work/empty XDG_CONFIG_HOME=$work/empty; mkdir -p "$HOME"
start=$(ms); "$empty" > "$work/empty.log" 2>&1 & app_pid=$!
waitWindow '^Empty window$'; shown=$(ms); sleep 7
printf '%-34s %-10s %-16s %-30s %s\n' "" "window" "owner signed in" "memory after search + record" "anonymous / C heap / program / libraries"
printf '%-34s %-10s %-16s %-30s %s\n' "empty Fyne window" "$((shown - start)) ms" "-" "$(mem)" "$(where "$empty")"
stop

for i in "${!ready[@]}"; do
	name=${names[i]}
	rm -rf "$work/run"; mkdir -p "$work/run/fyne/com.needledesk.app"
	cp "${ready[i]}" "$work/run/clinic.db"
	export HOME=$work/run XDG_CONFIG_HOME=$work/run
	owner=$(sqlite3 -readonly "$work/run/clinic.db" "SELECT min(id) FROM staff WHERE role='owner' AND password_hash != ''")
	echo "{\"actor_id\": $owner}" > "$work/run/fyne/com.needledesk.app/preferences.json"
	count() { sqlite3 -readonly "$work/run/clinic.db" "SELECT count(*) FROM audit_event WHERE action='$1' $2" 2>/dev/null || echo 0; }
	before=$(count sign_in "")
	start=$(ms)
	"$bin" --db "$work/run/clinic.db" > "$work/app.log" 2>&1 & app_pid=$!
	waitWindow '^NeedleDesk'; window=$(ms)
	win=$(xdotool search --onlyvisible --name '^NeedleDesk' | head -1)
	xdotool windowfocus --sync "$win"
	# The password field takes keys once the records are open; until then
	# the keys go nowhere, so keep trying (clearing the field each time).
	# The row is looked for on its own time, which may be written later.
	tries=0
	until [[ "$(count sign_in "")" -gt "$before" ]]; do
		if (( tries < 30 )); then xdotool key ctrl+a BackSpace; xdotool type --delay 2 owner-demo; xdotool key Return; fi
		tries=$((tries + 1)); sleep 0.1
	done
	at=$(sqlite3 -readonly "$work/run/clinic.db" "SELECT at FROM audit_event WHERE action='sign_in' ORDER BY id DESC LIMIT 1")
	signed=$(( $(date -d "$at" +%s%N) / 1000000 ))
	sleep 2
	# A try that came after the password was taken typed into the client
	# search, which now has the cursor: clear it first. The record is open
	# once its viewing is in the audit trail.
	since="AND id > (SELECT max(id) FROM audit_event WHERE action='sign_in')"
	xdotool key ctrl+a BackSpace; xdotool type --delay 120 "zoe"; sleep 2
	for try in 1 2 3; do
		xdotool key Down Return
		for _ in $(seq 30); do [[ "$(count view "$since")" -gt 0 ]] && break 2; sleep 0.1; done
	done
	if [[ "$(count view "$since")" -eq 0 ]]; then echo "measure-app: no client record was opened on $name" >&2; exit 1; fi
	sleep 3
	printf '%-34s %-10s %-16s %-30s %s\n' "NeedleDesk, $name" "$((window - start)) ms" "$((signed - start)) ms" "$(mem)" "$(where "$bin")"
	stop
done
