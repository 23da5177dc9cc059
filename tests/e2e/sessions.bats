#!/usr/bin/env bats
# Sessions: --session NAME makes the namespaces once, later calls join them;
# --session-list, --session-stop; --join PID. Each test user keeps its
# sessions under $T/run-USER (its $XDG_RUNTIME_DIR here), which teardown
# removes: that alone ends every holder the test left (they watch it).

load helpers

test_setup() {
	session_dirs
}

# holder_of USER NAME: the pid of session NAME's holder, from --session-list.
holder_of() {
	sess "$1" --session-list | awk -v n="$2" '$1 == n { print $2 }'
}

@test "a session: made by the first call, joined by the next, listed, stopped" {
	local ns1 holder
	run --separate-stderr sess nsu-one --session build -- readlink /proc/self/ns/user /proc/self/ns/mnt
	assert_status 0
	assert_eq "$stderr" "" "stderr"
	ns1=$output
	[ "${lines[0]}" != "$(readlink /proc/self/ns/user)" ] || flunk "the caller's user namespace"

	run --separate-stderr sess nsu-one --session build -- readlink /proc/self/ns/user /proc/self/ns/mnt
	assert_status 0
	assert_eq "$output" "$ns1" "the namespaces of the second call"

	run --separate-stderr sess nsu-one --session-list
	assert_status 0
	assert_match "${lines[0]}" "^NAME +PID +AGE +UID MAP +GID MAP +NAMESPACES$" "header"
	assert_match "${lines[1]}" "^build +[0-9]+ +[0-9]+s +0:61001:1,1:100000:65536 +0:61001:1,1:100000:65536 +user,mnt$" "the session"
	assert_eq "${#lines[@]}" 2 "lines"
	holder=$(holder_of nsu-one build)
	assert_eq "$(readlink "/proc/$holder/ns/user")" "${ns1%%$'\n'*}" "the holder's user namespace"

	run --separate-stderr sess nsu-one --session-stop build
	assert_status 0
	assert_eq "$output$stderr" "" "output of --session-stop"
	wait_for 5 gone "$holder"
	run --separate-stderr sess nsu-one --session-list
	assert_eq "${#lines[@]}" 1 "lines after the stop"
	[ ! -e "$T/run-nsu-one/nsu/build" ] || flunk "the session's directory is left"

	# A new session: another holder (the kernel may give the new namespace a freed number).
	run --separate-stderr sess nsu-one --session build -- true
	assert_status 0
	[ -n "$(holder_of nsu-one build)" ] && [ "$(holder_of nsu-one build)" != "$holder" ] ||
		flunk "no new holder after the stop"
}

@test "files and mounts made in one call are there in the next, with their owners" {
	mkdir m
	chown nsu-one m
	run --separate-stderr sess nsu-one --session s -- sh -c \
		'mount -t tmpfs none m && touch m/f && chown 1000:2000 m/f && mkdir d && chown 33:33 d'
	assert_status 0
	assert_eq "$(stat -c %u:%g d)" 100032:100032 "owner of d outside"
	[ ! -e m/f ] || flunk "the tmpfs shows outside"
	run --separate-stderr sess nsu-one --session s -- stat -c %u:%g m/f d
	assert_status 0
	assert_eq "$output" "$(printf '1000:2000\n33:33')" "owners inside, in the next call"
}

@test "a joined call: exit status, death by signal, stdin, argv, 127 and 126" {
	sess nsu-one --session s -- true
	run --separate-stderr sess nsu-one --session s -- sh -c 'exit 42'
	assert_status 42
	run --separate-stderr sess nsu-one --session s -- sh -c 'kill -TERM $$'
	assert_status 143
	run --separate-stderr sess nsu-one --session s -- sh -c 'cat; printf "[%s]" "$@"' - 'a b' '' <<<"in"
	assert_status 0
	assert_eq "$output" "in"$'\n''[a b][]' "stdin and argv"
	run -127 --separate-stderr sess nsu-one --session s -- no-such-command
	assert_eq "$stderr" "nsu: no-such-command: command not found" "stderr"
	run -126 --separate-stderr sess nsu-one --session s -- /etc/passwd
	assert_match "$stderr" "^nsu: /etc/passwd: Permission denied" "stderr"
}

@test "a joined call: signals sent to nsu reach the command exactly once, the descriptors pass" {
	sess nsu-one --session s -- true
	signals_pass_once XDG_RUNTIME_DIR="$T/run-nsu-one" -- --session s
	local caller
	exec 7</dev/null
	caller=$(as_user nsu-one sh -c 'ls /proc/self/fd | sort -n | tr "\n" " "')
	run --separate-stderr sess nsu-one --session s -- sh -c 'ls /proc/self/fd | sort -n | tr "\n" " "'
	exec 7<&-
	assert_eq "$output" "$caller" "descriptors"
}

@test "a session with --pid: one pid namespace for all calls, orphans reaped, 128+N, signals" {
	local holder
	run --separate-stderr sess nsu-one --session p --pid --mount-proc -- sh -c \
		'echo $$; setsid sleep 4720 >/dev/null 2>&1 & echo started'
	assert_status 0
	holder=$(holder_of nsu-one p)
	[ -n "$holder" ] || flunk "no holder"
	# The next call sees the first call's process in the session's /proc, and the holder as 1.
	run --separate-stderr sess nsu-one --session p -- sh -c \
		'cat /proc/1/cmdline | tr "\0" " "; echo; for p in /proc/[0-9]*; do cat $p/cmdline 2>/dev/null | tr "\0" " "; echo; done'
	assert_status 0
	assert_match "${lines[0]}" " --inner-stage-of-nsu [0-9,]+ $T/run-nsu-one/nsu/p " "pid 1"
	assert_has_line "$output" "sleep 4720 " "the first call's process"
	# No zombie: orphans of the calls come to the holder, which reaps them.
	run --separate-stderr sess nsu-one --session p -- sh -c \
		'sh -c "true & exit 0"; sleep 0.3; grep -l "^State:.*Z" /proc/[0-9]*/status || echo none'
	assert_eq "$output" none "zombies"
	run sess nsu-one --session p -- sh -c 'kill -SEGV $$'
	assert_status 139
	signals_pass_once XDG_RUNTIME_DIR="$T/run-nsu-one" -- --session p
	# Stopping the session ends what runs in its pid namespace.
	sess nsu-one --session-stop p
	wait_for 5 gone "$holder"
	wait_for 5 sh -c '! pgrep -f "^sleep 4720$" >/dev/null'
}

@test "options that shape a session are fixed; per-call options apply to each call" {
	sess nsu-one --session s --net -- true
	run --separate-stderr sess nsu-one --session s --pid -- true
	assert_status 125
	assert_eq "$stderr" "nsu: session s was made with '--net' and this call asks for '--pid': what shapes a session's namespaces is fixed when it is made; stop it first (nsu --session-stop s) to make it anew" "stderr"
	# The same options, or none, join it.
	run --separate-stderr sess nsu-one --session s --net -- readlink /proc/self/ns/net
	assert_status 0
	local net=$output
	[ "$net" != "$(readlink /proc/self/ns/net)" ] || flunk "the caller's network namespace"
	run --separate-stderr sess nsu-one --session s -- readlink /proc/self/ns/net
	assert_eq "$output" "$net" "a call without shaping options"
	# -w, --setenv, capabilities and no_new_privs are the call's own.
	run --separate-stderr sess nsu-one --session s -w / --setenv V x --caps-none --no-new-privs -- \
		sh -c 'pwd; echo "$V"; grep -E "^(CapEff|NoNewPrivs)" /proc/self/status'
	assert_status 0
	assert_eq "$output" "$(printf '/\nx\nCapEff:\t0000000000000000\nNoNewPrivs:\t1')" "per-call options"
	run --separate-stderr sess nsu-one --session s -- sh -c 'pwd; grep -E "^NoNewPrivs" /proc/self/status'
	assert_eq "$output" "$(printf '%s\nNoNewPrivs:\t0' "$T")" "the next call: the caller's directory"
}

@test "a killed holder: the next call makes the session anew, and -v says so" {
	local holder
	# A mount that only the first session's mount namespace has (the kernel
	# reuses namespace inode numbers, so those cannot tell sessions apart).
	mkdir m
	sess nsu-one --session s -- sh -c 'mount -t tmpfs none "$0" && touch "$0/mark"' "$T/m"
	run sess nsu-one --session s -- test -e "$T/m/mark"
	assert_status 0
	holder=$(holder_of nsu-one s)
	kill -KILL "$holder"
	wait_for 5 gone "$holder"
	run --separate-stderr sess nsu-one -v --session s -- test -e "$T/m/mark"
	assert_status 1
	assert_has_line "$stderr" "nsu: session s: its holder (pid $holder) is gone: making it anew"
	[ "$(holder_of nsu-one s)" != "$holder" ] || flunk "the old holder is listed"
}

@test "eight first calls at once make one session" {
	local i
	for i in 1 2 3 4 5 6 7 8; do
		sess nsu-one --session race -- readlink /proc/self/ns/user >"out.$i" 2>"err.$i" &
	done
	wait
	for i in 2 3 4 5 6 7 8; do
		assert_eq "$(cat "out.$i")" "$(cat out.1)" "user namespace of call $i"
		assert_eq "$(cat "err.$i")" "" "stderr of call $i"
	done
	[ -n "$(cat out.1)" ] || flunk "no output"
	assert_eq "$(pgrep -u nsu-one -f -c -- "--inner-stage-of-nsu .* $T/run-nsu-one/nsu/race ")" 1 "holders"
}

@test "another user can neither join, nor stop, nor list a session" {
	local holder
	sess nsu-one --session s -- true
	holder=$(holder_of nsu-one s)
	# nsu-two given nsu-one's runtime directory does not use it.
	run --separate-stderr as_user nsu-two env XDG_RUNTIME_DIR="$T/run-nsu-one" "$NSU" --session-list
	assert_status 0
	assert_eq "${#lines[@]}" 1 "nsu-two's list"
	run --separate-stderr as_user nsu-two env XDG_RUNTIME_DIR="$T/run-nsu-one" "$NSU" --session-stop s
	assert_status 125
	assert_eq "$stderr" "nsu: no session named s (nsu --session-list lists yours)" "stderr"
	run --separate-stderr as_user nsu-two env XDG_RUNTIME_DIR="$T/run-nsu-one" "$NSU" --session s -- \
		readlink /proc/self/ns/user
	assert_status 0
	[ "$output" != "$(readlink "/proc/$holder/ns/user")" ] || flunk "nsu-two joined nsu-one's session"
	run --separate-stderr sess nsu-two --join "$holder" -- true
	assert_status 125
	assert_match "$stderr" "^nsu: (--join: process $holder: its namespaces cannot be read|cannot enter the namespaces)" "stderr of --join"
	# nsu-one's session is still there.
	[ "$(holder_of nsu-one s)" = "$holder" ] || flunk "nsu-one's session is gone"
	rm -rf /tmp/nsu-61002
}

@test "a directory of sessions that others may enter is refused, naming the fix" {
	chmod 0755 "$T/run-nsu-one"
	install -d -m 0755 -o nsu-one -g nsu-one /tmp/nsu-61001
	run --separate-stderr sess nsu-one --session s -- true
	assert_status 125
	assert_eq "$stderr" "nsu: the directory of sessions /tmp/nsu-61001 may be entered by others (mode 755): chmod 0700 /tmp/nsu-61001" "stderr"
	rm -rf /tmp/nsu-61001
}

@test "session names: letters, digits, '.', '_' and '-'; no path" {
	local name
	for name in ../x .x -x a/b '' "$(printf 'n%.0s' {1..65})"; do
		run --separate-stderr sess nsu-one --session "$name" -- true
		assert_status 125
		assert_eq "$stderr" "nsu: option '--session': '$name' is not a session name (1 to 64 of letters, digits, '.', '_' and '-', not starting with '.' or '-')" "stderr for '$name'"
	done
}

@test "a user without subordinate ranges gets a working session" {
	run --separate-stderr sess nsu-none -q --session s -- sh -c 'id -u; readlink /proc/self/ns/user'
	assert_status 0
	assert_eq "${lines[0]}" 0 "id -u"
	local ns=${lines[1]}
	run --separate-stderr sess nsu-none --session s -- readlink /proc/self/ns/user
	assert_eq "$output" "$ns" "the second call"
	assert_eq "$stderr" "" "no fallback warning on a join"
	run --separate-stderr sess nsu-none --session-list
	assert_match "${lines[1]}" "^s +[0-9]+ +[0-9]+s +0:61003:1 +0:61003:1 +user,mnt$" "the list"
}

@test "root's session: the namespaces asked for, no user namespace" {
	run --separate-stderr sess root --session r --uts --hostname box -- sh -c 'hostname; readlink /proc/self/ns/user'
	assert_status 0
	assert_eq "$output" "$(printf 'box\n%s' "$(readlink /proc/self/ns/user)")" "first call"
	run --separate-stderr sess root --session r -- hostname
	assert_eq "$output" box "second call"
	sess root --session-stop r
}

# Not under valgrind: valgrind keeps descriptors of its own open in the holder
# bats test_tags=no-valgrind
@test "the holder: its own session, /dev/null for stdio, at /, nothing of the caller's; gone with its directory" {
	local holder fd target
	exec 7</dev/null
	sess nsu-one --session s -- true
	exec 7<&-
	holder=$(holder_of nsu-one s)
	assert_eq "$(session_of "$holder")" "$holder" "the holder's session"
	assert_eq "$(readlink "/proc/$holder/cwd")" / "its directory"
	for fd in /proc/"$holder"/fd/*; do
		target=$(readlink "$fd")
		case ${fd##*/} in
		0 | 1 | 2) assert_eq "$target" /dev/null "fd ${fd##*/}" ;;
		*) assert_match "$target" "^anon_inode:\\[?(signalfd|inotify)\\]?$" "fd ${fd##*/}" ;;
		esac
	done
	# Its directory removed (a runtime directory wiped at logout): it ends.
	rm -rf "$T/run-nsu-one/nsu"
	wait_for 5 gone "$holder"
}

@test "--join: into a session's holder, and into a process of unshare -r" {
	local holder
	sess nsu-one --session s -- true
	holder=$(holder_of nsu-one s)
	run --separate-stderr sess nsu-one --join "$holder" -- sh -c 'id -u; readlink /proc/self/ns/user /proc/self/ns/mnt'
	assert_status 0
	assert_eq "$output" "$(printf '0\n%s\n%s' "$(readlink "/proc/$holder/ns/user")" "$(readlink "/proc/$holder/ns/mnt")")" "inside the holder's namespaces"

	bg_as nsu-one un.pid unshare --user --map-root-user --mount sleep 1000
	wait_for 5 sh -c '[ "$(readlink /proc/$0/ns/user)" != "$(readlink /proc/self/ns/user)" ]' "$BG_PID"
	run --separate-stderr sess nsu-one --join "$BG_PID" -- sh -c 'id -u; readlink /proc/self/ns/user'
	assert_status 0
	assert_eq "$output" "$(printf '0\n%s' "$(readlink "/proc/$BG_PID/ns/user")")" "inside unshare's namespaces"
	run -42 sess nsu-one --join "$BG_PID" -- sh -c 'exit 42'
}

@test "--join: errors name the process and what is wrong" {
	run --separate-stderr sess nsu-one --join 999999999 -- true
	assert_status 125
	assert_eq "$stderr" "nsu: option '--join': '999999999' is not a process id" "too large"
	run --separate-stderr sess nsu-one --join $$ -- true
	assert_status 125
	assert_match "$stderr" "^nsu: (--join: process $$: its namespaces cannot be read|cannot enter the namespaces .* of process $$)" "root's process"
	run --separate-stderr sess nsu-one --join 1 --pid -- true
	assert_status 125
	assert_eq "$stderr" "nsu: option '--join' enters the namespaces of process 1 as they are: a namespace option cannot apply to them" "shaping option"
}

@test "a joined call with --die-with-parent ends with its parent; an ignored signal stays ignored" {
	local s
	for s in plain pid; do
		if [ "$s" = pid ]; then
			sess nsu-one --session "$s" --pid -- true
		else
			sess nsu-one --session "$s" -- true
		fi
		rm -f parent.pid
		bg_as nsu-one parent.pid env XDG_RUNTIME_DIR="$T/run-nsu-one" sh -c \
			'"$0" --session "$1" --die-with-parent -- sleep 4721 & wait' "$NSU" "$s"
		wait_for 5 sh -c '[ "$(pgrep -c -f "^sleep 4721$")" = 1 ]'
		kill -KILL "$BG_PID"
		wait_for 3 sh -c '! pgrep -f "^sleep 4721$" >/dev/null' || flunk "$s: the command still runs"
		run --separate-stderr as_user nsu-one env --ignore-signal=HUP \
			XDG_RUNTIME_DIR="$T/run-nsu-one" "$NSU" --session "$s" -- sh -c 'kill -HUP $$; echo alive'
		assert_status 0
		assert_eq "$output" alive "$s: output"
	done
}
