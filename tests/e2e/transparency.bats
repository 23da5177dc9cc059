#!/usr/bin/env bats
# nsu is transparent: exit status, death by signal, signals, stdio, argv,
# file descriptors and processes are those of the command.

load helpers

# WAIT_STATUS CMD...: run CMD, print "exit N", or "signal N" plus " core" if
# the wait status has the core-dump flag.
WAIT_STATUS=(perl -e 'system { $ARGV[0] } @ARGV;
	if ($? == -1) { print "cannot run\n"; exit 1 }
	if ($? & 127) { printf "signal %d%s\n", $? & 127, ($? & 128) ? " core" : "" }
	else { printf "exit %d\n", $? >> 8 }' --)

# runs PID EXE: process PID runs EXE.
runs() {
	[ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$2" ]
}

@test "exit statuses 0 1 42 255 are passed through exactly" {
	local n
	for n in 0 1 42 255; do
		run --separate-stderr nsu_as nsu-one -- sh -c "exit $n"
		assert_status "$n"
		assert_eq "$stderr" "" "stderr"
	done
}

@test "a command killed by TERM, KILL or SEGV: nsu dies of the same signal" {
	local sig code
	for sig in TERM:143 KILL:137 SEGV:139; do
		code=${sig#*:} sig=${sig%:*}
		run --separate-stderr nsu_as nsu-one -- sh -c "kill -$sig \$\$"
		assert_status "$code"
		assert_eq "$stderr" "" "stderr"
	done
}

@test "nsu's own wait status is the signal, without a core dump" {
	need perl
	# Allow core dumps: the command may dump one (in $T), nsu must not.
	ulimit -c unlimited 2>/dev/null || ulimit -c "$(ulimit -H -c)"
	run --separate-stderr as_user nsu-one "${WAIT_STATUS[@]}" \
		"$NSU" -- sh -c 'ulimit -c unlimited 2>/dev/null; kill -SEGV $$'
	assert_status 0
	assert_eq "$output" "signal 11" "nsu's wait status"

	run --separate-stderr as_user nsu-one "${WAIT_STATUS[@]}" "$NSU" -- sh -c 'kill -TERM $$'
	assert_status 0
	assert_eq "$output" "signal 15" "nsu's wait status"

	run --separate-stderr as_user nsu-one "${WAIT_STATUS[@]}" "$NSU" -- sh -c 'exit 3'
	assert_status 0
	assert_eq "$output" "exit 3" "nsu's wait status"
}

@test "a command killed by SIGPIPE in a pipeline: nsu dies of SIGPIPE too" {
	as_user nsu-one env --default-signal=PIPE "$NSU" -- yes | head -n 1 >out
	assert_eq "${PIPESTATUS[*]}" "141 0" "pipeline statuses"
	assert_eq "$(cat out)" y "output"
}

@test "a signal the caller ignores stays ignored for the command (nohup)" {
	run --separate-stderr as_user nsu-one env --ignore-signal=HUP "$NSU" -- \
		sh -c 'kill -HUP $$; echo alive'
	assert_status 0
	assert_eq "$output" alive "output"
}

@test "signals sent to nsu reach the command exactly once" {
	signals_pass_once --
	assert_eq "$(cat nsu.pid.err)" "" "stderr"
}

@test "killing nsu with KILL kills the command too" {
	bg_as nsu-one nsu.pid "$NSU" -- sh -c 'echo $$ >cmd.tmp && mv cmd.tmp cmd.pid && exec sleep 1000'
	track_pidfile "$T/cmd.pid"
	wait_for 5 test -s cmd.pid
	local cmd sleep_bin
	cmd=$(cat cmd.pid)
	sleep_bin=$(readlink -f "$(command -v sleep)")
	wait_for 5 runs "$cmd" "$sleep_bin"
	kill -KILL "$BG_PID"
	wait_for 5 gone "$cmd"
}

# start_looper: start, as nsu-one, nsu running a command that loops until
# the file stop exists; NSU_PID and CMD_PID are their pids.
# start_looper [own-pgrp]: nsu running a loop that ends once ./stop exists.
# With own-pgrp, nsu leads a process group of its own whose parent stays in
# this session: the kernel discards TSTP/TTIN/TTOU sent to an orphaned
# process group, and whether the test runner's group is orphaned depends on
# how CI started it.
start_looper() {
	local wrap=()
	[ "${1:-}" = own-pgrp ] && wrap=(perl -e 'setpgrp(0, 0); exec @ARGV or die "exec: $!"')
	bg_as nsu-one nsu.pid "${wrap[@]}" "$NSU" -- sh -c \
		'echo $$ >cmd.tmp && mv cmd.tmp cmd.pid && while [ ! -e stop ]; do sleep 0.05; done'
	track_pidfile "$T/cmd.pid"
	NSU_PID=$BG_PID
	wait_for 5 test -s cmd.pid
	CMD_PID=$(cat cmd.pid)
}

@test "a command stopped by STOP stops nsu; CONT to nsu resumes both" {
	start_looper
	kill -STOP "$CMD_PID"
	wait_for 5 state_is "$NSU_PID" T
	kill -CONT "$NSU_PID"
	wait_for 5 state_is_not "$CMD_PID" T
	wait_for 5 state_is_not "$NSU_PID" T
	touch stop
	bg_wait 5
	assert_eq "$status" 0 "exit status"
}

# Not under valgrind: valgrind does not carry out the stop that SIGTSTP, SIGTTIN and SIGTTOU ask for, so nsu cannot stop itself
# bats test_tags=no-valgrind
@test "TSTP sent to nsu stops the command and nsu; CONT resumes both" {
	start_looper own-pgrp
	kill -TSTP "$NSU_PID"
	wait_for 5 state_is "$CMD_PID" T
	wait_for 5 state_is "$NSU_PID" T
	kill -CONT "$NSU_PID"
	wait_for 5 state_is_not "$CMD_PID" T
	wait_for 5 state_is_not "$NSU_PID" T
	touch stop
	bg_wait 5
	assert_eq "$status" 0 "exit status"
}

@test "20 MiB through stdin and stdout keep their sha256" {
	head -c 20M /dev/urandom >in
	local want
	want=$(sha256sum <in)
	# Through pipes.
	cat in | nsu_as nsu-one -- cat | sha256sum >piped.sum
	assert_eq "${PIPESTATUS[*]}" "0 0 0" "pipeline statuses"
	assert_eq "$(cat piped.sum)" "$want" "sha256 through pipes"
	# Through files.
	nsu_as nsu-one -- cat <in >out
	assert_eq "$(sha256sum <out)" "$want" "sha256 through files"
}

@test "stderr bytes are passed through unchanged" {
	printf 'e\001\377\n\nno newline' >want
	nsu_as nsu-one -- sh -c 'printf "e\001\377\n\nno newline" >&2; printf out' >out 2>err
	cmp want err || flunk "stderr differs: $(od -c err)"
	assert_eq "$(cat out)" out "stdout"
}

@test "argv reaches the command verbatim" {
	local args=('a b' '' $'x\ny' '*' '-v' '--' '-q' $'\t' '$HOME' '\')
	printf '[%s]\n' "${args[@]}" >want
	nsu_as nsu-one -- printf '[%s]\n' "${args[@]}" >got
	cmp want got || flunk "argv differs:" "$(diff want got)"
	# Without "--", options after the command name are the command's.
	nsu_as nsu-one printf '[%s]\n' "${args[@]}" >got
	cmp want got || flunk "argv differs:" "$(diff want got)"
}

@test "fd 7 of the caller is usable inside" {
	run --separate-stderr nsu_as nsu-one -- sh -c 'echo hi >&7' 7>fd7
	assert_status 0
	assert_eq "$(cat fd7)" hi "written to fd 7"
}

@test "the command has the same open fds as the caller: none leaked, none lost" {
	local outside inside
	outside=$(as_user nsu-one ls /proc/self/fd 7>fd7 9<fd7 12>&2)
	inside=$(nsu_as nsu-one -- ls /proc/self/fd 7>fd7 9<fd7 12>&2)
	assert_eq "$(echo $inside)" "$(echo $outside)" "open fds"
	# And the same after a fallback to the single-ID map.
	inside=$(nsu_as nsu-none -q -- ls /proc/self/fd 7>fd7 9<fd7 12>&2)
	assert_eq "$(echo $inside)" "$(echo $outside)" "open fds (single-ID map)"
}

@test "closed stdin, stdout and stderr stay closed for the command" {
	local outside inside
	as_user nsu-one sh -c 'ls /proc/self/fd >"$0"' "$T/outside" <&- >&- 2>&-
	as_user nsu-one "$NSU" -- sh -c 'ls /proc/self/fd >"$0"' "$T/inside" <&- >&- 2>&-
	assert_eq "$(echo $(cat inside))" "$(echo $(cat outside))" "open fds"
}

@test "no nsu process remains after the command ends" {
	install -m 0755 "$NSU" nsu-copy
	local status_list=() p exe
	run --separate-stderr as_user nsu-one "$T/nsu-copy" -- sh -c 'echo $$ >cmd.pid'
	assert_status 0
	run --separate-stderr as_user nsu-one "$T/nsu-copy" -- sh -c 'kill -TERM $$'
	assert_status 143
	run -127 --separate-stderr as_user nsu-one "$T/nsu-copy" -- no-such-command
	assert_status 127
	for p in /proc/[0-9]*; do
		exe=$(readlink "$p/exe" 2>/dev/null) || continue
		case $exe in
		"$T/nsu-copy"*) flunk "process ${p#/proc/} still runs nsu: $(tr '\0' ' ' <"$p/cmdline")" ;;
		esac
	done
	if ! gone "$(cat cmd.pid)"; then
		flunk "the command is still there"
	fi
}

@test "without a command nsu runs \$SHELL" {
	run --separate-stderr as_user nsu-one env SHELL=/bin/sh "$NSU" <<<'id -u; echo $0'
	assert_status 0
	assert_eq "$output" "$(printf '0\n/bin/sh')" "output of the shell"

	run --separate-stderr as_user nsu-one env SHELL=/bin/bash "$NSU" <<<'id -u; echo $0'
	assert_status 0
	assert_eq "$output" "$(printf '0\n/bin/bash')" "output of the shell"
}

@test "without a command or \$SHELL nsu runs the passwd shell" {
	run --separate-stderr as_user nsu-one env -u SHELL "$NSU" <<<'id -u; echo $0'
	assert_status 0
	assert_eq "$output" "$(printf '0\n/bin/sh')" "output of the shell"
}

@test "a signal sent to nsu's process group reaches each process of the command once" {
	start_counter own-pgrp
	local i
	for ((i = 1; i <= 8; i++)); do
		kill -USR1 -- "-$NSU_PID"
		wait_for 5 lines_in sig "$i"
		wait_for 5 lines_in sig.child "$i"
	done
	sleep 0.3
	assert_eq "$(cat sig)" "$(printf 'USR1\n%.0s' {1..8})" "USR1 received by the command"
	assert_eq "$(cat sig.child)" "$(printf 'USR1\n%.0s' {1..8})" "USR1 received by its child"
	touch sig.stop
	bg_wait 5
	assert_eq "$status" 0 "exit status"
}

@test "a signal sent to nsu alone reaches the command once" {
	start_counter own-pgrp
	local i
	for ((i = 1; i <= 4; i++)); do
		kill -USR2 "$NSU_PID"
		wait_for 5 lines_in sig "$i"
	done
	sleep 0.3
	assert_eq "$(cat sig)" "$(printf 'USR2\n%.0s' {1..4})" "USR2 received by the command"
	touch sig.stop
	bg_wait 5
	assert_eq "$status" 0 "exit status"
}

@test "the command runs in a process group of its own, as a shell runs a job" {
	run --separate-stderr nsu_as nsu-one -- sh -c 'echo "$$ $(ps -o pgid= -p $$)"'
	assert_status 0
	set -- $output
	assert_eq "$2" "$1" "process group of the command"
}

@test "SIGTERM to nsu's process group ends the command's children too" {
	start_counter own-pgrp
	local child
	child=$(cat sig.childpid)
	kill -TERM -- "-$NSU_PID"
	bg_wait 5
	assert_eq "$status" 143 "exit status"
	wait_for 5 gone "$child"
}

@test "the command has the caller's CPU affinity, whatever nsu does with its own" {
	local all
	all=$(grep Cpus_allowed_list /proc/self/status)
	run --separate-stderr nsu_as nsu-one -- grep Cpus_allowed_list /proc/self/status
	assert_status 0
	assert_eq "$output" "$all" "the caller's affinity"
	run --separate-stderr as_user nsu-one taskset -c 0 "$NSU" -- grep Cpus_allowed_list /proc/self/status
	assert_status 0
	assert_eq "$output" "$(printf 'Cpus_allowed_list:\t0')" "under taskset -c 0"
	# The helpers run with it too: the maps are the full ones.
	run --separate-stderr as_user nsu-one taskset -c 0 "$NSU" -- cat /proc/self/uid_map
	assert_eq "${#lines[@]}" 2 "uid map lines under taskset"
}
