#!/usr/bin/env bats
# The set-up, from the clone to the command's start, whatever nsu inherits:
# signal dispositions and mask, closed standard streams, /proc mounted with
# hidepid; and signals and stops that arrive while the maps are written.
#
# Slow or hanging helpers are shell scripts bound over /usr/bin/newuidmap
# in a mount namespace of the test's own.

load helpers

FULL_ONE=("uid 0 61001 1" "uid 1 100000 65536" "gid 0 61001 1" "gid 1 100000 65536"
	"setgroups allow")

# sig_bit STATUS_FIELD SIGNAL: is SIGNAL set in the mask of that line of
# /proc/self/status (SigIgn, SigBlk...) given as "Field:\tHEX"?
sig_bit() {
	local hex=${1##*[[:space:]]} n
	n=$(kill -l "$2")
	(((0x$hex >> (n - 1)) & 1))
}

# slow_helper NAME BODY: write $T/NAME, a newuidmap stand-in that records
# its pid in $T/helper.pid and then runs BODY. It has the setuid bit, which
# the kernel ignores for a script, so that nsu's explanation of its failure
# is its output, not a missing setuid bit.
slow_helper() {
	printf '#!/bin/sh\necho $$ >"%s/helper.pid"\n%s\n' "$T" "$2" >"$T/$1"
	chmod 4755 "$T/$1"
	track_pidfile "$T/helper.pid"
}

# start_setup HELPER [own-pgrp] [NSU-ARG...]: start nsu as nsu-one in the
# background with HELPER bound over /usr/bin/newuidmap, running
# "touch $T/ran"; NSU_PID is nsu's pid, JOB the job to wait for. With
# own-pgrp, nsu leads a process group of its own (whose parent stays in
# this session, so the group is not orphaned and stops work). SETUP_ENV
# (VAR=VALUE words) and SETUP_WRAP (a command prefix) apply to nsu.
SETUP_ENV=()
SETUP_WRAP=()
start_setup() {
	local helper=$1 wrap=(env "${SETUP_ENV[@]}" "${SETUP_WRAP[@]}")
	shift
	if [ "${1:-}" = own-pgrp ]; then
		wrap+=(perl -e 'setpgrp(0, 0); exec @ARGV or die "exec: $!"')
		shift
	fi
	unshare --mount --propagation private -- bash -c '
		mount --bind "$1" /usr/bin/newuidmap || exit 125
		. "$2"
		pidfile=$3
		shift 3
		as_user nsu-one sh -c "echo \$\$ >\"\$0\" && exec \"\$@\"" "$pidfile" "$@"' \
		start-setup "$T/$helper" "$NSU_FIXTURE_LIB" "$T/nsu.pid" "${wrap[@]}" "$NSU" "$@" -- \
		touch "$T/ran" \
		</dev/null >"$T/out" 2>"$T/err" 3>&- &
	JOB=$!
	track_pidfile "$T/nsu.pid"
	wait_for 5 test -s "$T/nsu.pid"
	NSU_PID=$(cat "$T/nsu.pid")
}

# finish_job SECONDS: wait for the job of start_setup; its status in $status.
finish_job() {
	wait_for "$1" gone "$NSU_PID" || return 1
	status=0
	wait "$JOB" || status=$?
}

# only_child_besides PID: nsu has exactly one child other than PID.
only_child_besides() {
	[ "$(pgrep -P "$NSU_PID" | grep -cvx "$1")" = 1 ]
}

# record_children: CHILDREN are nsu's children now (its child and the helper).
record_children() {
	CHILDREN=$(pgrep -P "$NSU_PID")
	[ -n "$CHILDREN" ] || flunk "nsu has no child"
}

# children_gone: none of CHILDREN runs any more.
children_gone() {
	local p
	for p in $CHILDREN; do
		gone "$p" || return 1
	done
}

# Not under valgrind: valgrind loses an ignored SIGCHLD across nsu's re-execution (execveat) and keeps SIGRTMAX for itself
# bats test_tags=no-valgrind
@test "SIGCHLD ignored by the caller: nsu works, the command still has it ignored" {
	run --separate-stderr as_user nsu-one timeout -k 1 10 env --ignore-signal=CHLD "$NSU" -- \
		grep "^SigIgn:" /proc/self/status
	assert_status 0
	sig_bit "$output" CHLD || flunk "SIGCHLD is not ignored for the command: $output"
	assert_eq "$stderr" "" "stderr"

	run --separate-stderr as_user nsu-one timeout -k 1 10 env --ignore-signal=CHLD "$NSU" -- \
		"${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${FULL_ONE[@]}")" "maps"
}

@test "SIGCHLD ignored: an early failure still says why (125), the status is not made up" {
	run --separate-stderr as_user nsu-one timeout -k 1 10 env --ignore-signal=CHLD "$NSU" \
		-w /nonexistent -- true
	assert_status 125
	assert_eq "$stderr" "nsu: cannot change to directory /nonexistent: No such file or directory" "stderr"
}

@test "SIGCHLD blocked by the caller: nsu works, the command starts with it blocked" {
	run --separate-stderr as_user nsu-one timeout -k 1 10 env --block-signal=CHLD "$NSU" -- \
		grep "^SigBlk:" /proc/self/status
	assert_status 0
	sig_bit "$output" CHLD || flunk "SIGCHLD is not blocked for the command: $output"
}

# Not under valgrind: valgrind loses an ignored SIGCHLD across nsu's re-execution (execveat) and keeps SIGRTMAX for itself
# bats test_tags=no-valgrind
@test "every signal ignored and blocked by the caller: nsu works, the command inherits both" {
	local outside
	outside=$(as_user nsu-one env --ignore-signal --block-signal grep -E "^Sig(Ign|Blk):" /proc/self/status)
	run --separate-stderr as_user nsu-one timeout -k 1 10 env --ignore-signal --block-signal \
		"$NSU" -- grep -E "^Sig(Ign|Blk):" /proc/self/status
	assert_status 0
	assert_eq "$output" "$outside" "ignored and blocked signals of the command"
	sig_bit "${lines[1]}" CHLD || flunk "SIGCHLD is not ignored: ${lines[1]}"
}

@test "--setenv of nsu's old marker name reaches the command like any variable" {
	run --separate-stderr nsu_as nsu-one --setenv _NSU_INNER_STAGE x -- sh -c \
		'echo "$_NSU_INNER_STAGE"; exec "$@"' - "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines x "${FULL_ONE[@]}")" "output"
	assert_eq "$stderr" "" "stderr"
}

@test "the inner stage's argument given by hand: 125, a message, nothing runs" {
	run --separate-stderr nsu_as nsu-one --inner-stage-of-nsu 0,1,1,0,0,0 "" touch "$T/ran"
	assert_status 125
	assert_eq "$stderr" "nsu: --inner-stage-of-nsu is for nsu's own use (it starts nsu's inner stage) and cannot be given by hand; see 'nsu --help'" "stderr"
	[ ! -e ran ] || flunk "the command ran"
}

@test "stdin, stdout and stderr closed, with -v: the maps are written before the command runs" {
	local script='cat /proc/self/uid_map /proc/self/gid_map >"$0/maps"; ls /proc/self/fd >"$0/fds"'
	as_user nsu-one sh -c '"$0" -v -- sh -c "$1" "$2" <&- >&- 2>&-' "$NSU" "$script" "$T"
	assert_eq "$(awk '{ print $1, $2, $3 }' maps)" "$(printf '0 61001 1\n1 100000 65536\n0 61001 1\n1 100000 65536')" "maps"
	# Still closed for the command: nothing of nsu's took their place.
	mv fds fds.inside
	as_user nsu-one sh -c 'sh -c "$0" "$1" <&- >&- 2>&-' "$script" "$T"
	assert_eq "$(echo $(cat fds.inside))" "$(echo $(cat fds))" "open fds of ls"
}

@test "/proc mounted with hidepid=1, 2 or invisible: the full map" {
	local v
	for v in 1 2 invisible; do
		run --separate-stderr unshare --mount --propagation private -- bash -c '
			mount -t proc -o hidepid="$1" proc /proc || exit 99
			. "$2"
			shift 2
			as_user nsu-one "$@"' - "$v" "$NSU_FIXTURE_LIB" "$NSU" -- "${MAPS[@]}"
		assert_status 0
		assert_eq "$output" "$(maps_lines "${FULL_ONE[@]}")" "maps with hidepid=$v"
		assert_eq "$stderr" "" "stderr with hidepid=$v"
	done
}

@test "SIGTERM while a helper hangs: nsu dies of SIGTERM at once, the helper and child with it" {
	slow_helper hang 'exec sleep 1000'
	start_setup hang
	wait_for 5 test -s helper.pid
	record_children
	kill -TERM "$NSU_PID"
	finish_job 5
	assert_eq "$status" 143 "exit status (128 + SIGTERM)"
	wait_for 5 children_gone
	[ ! -e ran ] || flunk "the command ran"
	assert_no_match "$(cat err)" "nsu:" "stderr"
}

@test "SIGINT to nsu's process group while a helper runs (Ctrl-C): nsu dies of SIGINT, not 125" {
	slow_helper hang 'exec sleep 1000'
	# A background job of a script ignores INT; an interactive caller does not.
	SETUP_WRAP=(env --default-signal=INT,QUIT)
	start_setup hang own-pgrp
	wait_for 5 test -s helper.pid
	record_children
	kill -INT -- "-$NSU_PID"
	finish_job 5
	assert_eq "$status" 130 "exit status (128 + SIGINT)"
	wait_for 5 children_gone
	[ ! -e ran ] || flunk "the command ran"
	assert_no_match "$(cat err)" "nsu:" "stderr"
}

@test "a signal the caller ignores does not end the set-up" {
	slow_helper wait-go 'while [ ! -e "'"$T"'/go" ]; do sleep 0.05; done; exec /bin/false'
	SETUP_WRAP=(env --ignore-signal=HUP)
	start_setup wait-go
	wait_for 5 test -s helper.pid
	kill -HUP "$NSU_PID"
	sleep 0.3
	! gone "$NSU_PID" || flunk "nsu ended on a signal its caller ignores"
	touch go
	finish_job 10
	assert_eq "$status" 0 "exit status"
	[ -e ran ] || flunk "the command did not run"
}

# Not under valgrind: valgrind does not carry out the stop that SIGTSTP, SIGTTIN and SIGTTOU ask for, so nsu cannot stop itself
# bats test_tags=no-valgrind
@test "TSTP during the set-up stops nsu and its child; CONT lets the set-up finish" {
	slow_helper wait-go 'while [ ! -e "'"$T"'/go" ]; do sleep 0.05; done; exec /bin/false'
	start_setup wait-go own-pgrp
	wait_for 5 test -s helper.pid
	# newgidmap runs alongside: let it finish and be reaped first, so that
	# nsu's children are the hanging helper and its child alone.
	local child
	wait_for 5 only_child_besides "$(cat helper.pid)"
	child=$(pgrep -P "$NSU_PID" | grep -vx "$(cat helper.pid)")
	kill -TSTP "$NSU_PID"
	wait_for 5 state_is "$NSU_PID" T
	# The child (nsu's child that is not the helper) is stopped too.
	wait_for 5 state_is "$child" T
	kill -CONT "$NSU_PID"
	wait_for 5 state_is_not "$NSU_PID" T
	wait_for 5 state_is_not "$child" T
	touch go
	finish_job 10
	assert_eq "$status" 0 "exit status"
	[ -e ran ] || flunk "the command did not run"
	assert_match "$(cat err)" "^nsu: warning: mapping only uid 61001: /usr/bin/newuidmap failed with exit status 1 " "stderr"
}

@test "a helper that never returns: stopped after helper-timeout, the map falls back, the command runs" {
	slow_helper hang 'exec sleep 1000'
	printf '[mapping]\nhelper-timeout = 1\n' >nsu.conf
	chmod 0644 nsu.conf
	SETUP_ENV=(NSU_CONFIG="$T/nsu.conf")
	start_setup hang
	wait_for 5 test -s helper.pid
	local helper
	helper=$(cat helper.pid)
	finish_job 5
	assert_eq "$status" 0 "exit status"
	[ -e ran ] || flunk "the command did not run"
	gone "$helper" || flunk "the helper still runs"
	assert_match "$(cat err)" "^nsu: warning: mapping only uid 61001: /usr/bin/newuidmap did not finish within 1 seconds and was stopped " "stderr"
}

@test "a helper that writes more than a pipe holds: read as it comes, its last line quoted" {
	slow_helper chatty 'head -c 1000000 /dev/zero | tr "\\0" x >&2; echo >&2; echo "the last line" >&2; exit 1'
	start_setup chatty
	finish_job 10
	assert_eq "$status" 0 "exit status"
	[ -e ran ] || flunk "the command did not run"
	assert_match "$(cat err)" "^nsu: warning: mapping only uid 61001: /usr/bin/newuidmap failed: the last line " "stderr"
}
