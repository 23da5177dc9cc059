#!/usr/bin/env bats
# nsu on a terminal: job control (Ctrl-Z, jobs, fg, Ctrl-C), the command's
# tty, and signals from the terminal delivered exactly once. An interactive
# bash runs as nsu-one in a tmux pane; the tests type into it and read it.

load helpers

PROMPT='nsu-test$ '

test_setup() {
	need tmux
	SOCK=$T/tmux.sock
	cat >launch <<LAUNCH
#!/bin/bash
. '$NSU_FIXTURE_LIB'
cd '$T' || exit 1
export NSU='$NSU' T='$T' PS1='$PROMPT' HISTFILE=/dev/null
exec 3>&-
as_user nsu-one bash --norc --noprofile -i
LAUNCH
	chmod 0755 launch
	# A detached session of a fixed size, on a socket of our own.
	tmux -S "$SOCK" -f /dev/null new-session -d -s nsu -x 100 -y 40 "$T/launch" 3>&-
	pane_ready
}

# pane_ready: wait for the prompt; PANE_SID is then the session of the pane,
# which its first process leads: what the shell runs is in it.
pane_ready() {
	wait_for 10 pane_has "^nsu-test\\$ \$"
	PANE_SID=$(tmux -S "$SOCK" display-message -p -t nsu '#{pane_pid}')
}

test_teardown() {
	[ -n "${SOCK:-}" ] && [ -S "$SOCK" ] || return 0
	if [ "${BATS_TEST_COMPLETED:-}" != 1 ]; then
		echo "--- pane:" >&2
		pane | grep -v "^$" >&2 || true
	fi
	tmux -S "$SOCK" kill-server 2>/dev/null || true
}

# pane: the text of the pane, lines joined where they wrapped.
pane() {
	tmux -S "$SOCK" capture-pane -p -J -t nsu
}

# pane_has ERE: some line of the pane matches.
pane_has() {
	pane | grep -Eq -- "$1"
}

# pane_count ERE N: at least N lines of the pane match.
pane_count() {
	[ "$(pane | grep -Ec -- "$1")" -ge "$2" ]
}

# type_line TEXT: type TEXT and Enter.
type_line() {
	tmux -S "$SOCK" send-keys -t nsu -l -- "$1"
	tmux -S "$SOCK" send-keys -t nsu Enter
}

# keys KEY...: press keys (C-z, C-c...).
keys() {
	tmux -S "$SOCK" send-keys -t nsu "$@"
}

# find_proc EXE UID: set PROC to the pid of the one process of the pane's
# session running EXE with real uid UID (outside the namespace). Test files
# that run at the same time have processes of the same users.
find_proc() {
	local p found=()
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/exe" 2>/dev/null)" = "$1" ] || continue
		[ "$(session_of "${p#/proc/}")" = "$PANE_SID" ] || continue
		awk -v uid="$2" '$1 == "Uid:" && $2 == uid { ok = 1 } END { exit !ok }' \
			"$p/status" 2>/dev/null || continue
		found+=("${p#/proc/}")
	done
	[ "${#found[@]}" = 1 ] || return 1
	PROC=${found[0]}
}

# pane_starts PROGRAM LINE: type LINE, then wait until PROGRAM (found in
# $PATH) runs as nsu-one in the pane; PROC is its pid.
pane_starts() {
	local bin
	bin=$(readlink -f "$(command -v "$1")")
	type_line "$2"
	wait_for 5 find_proc "$bin" 61001
}

# fg_then_ctrl_c PID: PID, the command of the stopped job in the pane, is
# stopped; fg resumes it, Ctrl-C ends it, and the shell sees 130.
fg_then_ctrl_c() {
	wait_for 5 state_is "$1" T
	type_line "fg"
	wait_for 5 state_is_not "$1" T
	keys C-c
	wait_for 5 gone "$1"
	type_line 'echo "rc=$?"'
	wait_for 5 pane_has '(^|\^C)rc=130$'
}

# Not under valgrind: valgrind does not carry out the stop that SIGTSTP, SIGTTIN and SIGTTOU ask for, so nsu cannot stop itself
# bats test_tags=no-valgrind
@test "Ctrl-Z stops nsu and the command; jobs lists it; fg resumes; Ctrl-C ends it with 130" {
	local nsu_pid sleep_pid
	pane_starts sleep "\"\$NSU\" -- sleep 1000"
	sleep_pid=$PROC
	wait_for 5 find_proc "$NSU" 61001
	nsu_pid=$PROC

	keys C-z
	wait_for 5 pane_has '^\[1\]\+ +Stopped +.*sleep 1000'
	wait_for 5 state_is "$sleep_pid" T
	wait_for 5 state_is "$nsu_pid" T

	type_line "jobs"
	wait_for 5 pane_count '^\[1\]\+ +Stopped +.*sleep 1000' 2

	type_line "fg"
	wait_for 5 state_is_not "$sleep_pid" T
	wait_for 5 state_is_not "$nsu_pid" T
	assert_eq "$(state "$sleep_pid")" S "state of the resumed command"

	keys C-c
	wait_for 5 gone "$sleep_pid"
	wait_for 5 gone "$nsu_pid"
	type_line 'echo "rc=$?"'
	wait_for 5 pane_has '(^|\^C)rc=130$'
}

# Not under valgrind: valgrind does not carry out the stop that SIGTSTP, SIGTTIN and SIGTTOU ask for, so nsu cannot stop itself
# bats test_tags=no-valgrind
@test "Ctrl-Z twice: the job can be stopped and resumed again" {
	local sleep_pid
	pane_starts sleep "\"\$NSU\" -- sleep 1000"
	sleep_pid=$PROC
	keys C-z
	wait_for 5 pane_count '^\[1\]\+ +Stopped +.*sleep 1000' 1
	type_line "fg"
	wait_for 5 state_is_not "$sleep_pid" T
	keys C-z
	wait_for 5 pane_count '^\[1\]\+ +Stopped +.*sleep 1000' 2
	fg_then_ctrl_c "$sleep_pid"
}

# Not under valgrind: valgrind does not carry out the stop that SIGTSTP, SIGTTIN and SIGTTOU ask for, so nsu cannot stop itself
# bats test_tags=no-valgrind
@test "a background nsu reading the terminal stops; fg lets it read" {
	local cat_pid
	pane_starts cat "\"\$NSU\" -- cat &"
	cat_pid=$PROC
	wait_for 5 find_proc "$NSU" 61001
	wait_for 5 state_is "$cat_pid" T
	wait_for 5 state_is "$PROC" T
	type_line "jobs"
	wait_for 5 pane_has '^\[1\]\+ +Stopped.* +"\$NSU" -- cat$'
	type_line "fg"
	wait_for 5 pane_has '^"\$NSU" -- cat$'
	type_line "hello from the terminal"
	wait_for 5 pane_count '^hello from the terminal$' 2
	keys C-d
	type_line 'echo "cat-rc=$?"'
	wait_for 5 pane_has '^cat-rc=[0-9]+$'
	pane_has '^cat-rc=0$' || flunk "cat did not exit 0"
}

@test "the command sees the terminal: tty prints /dev/pts/N, test -t 0 succeeds" {
	type_line "\"\$NSU\" -- tty; echo \"tty-rc=\$?\""
	wait_for 5 pane_has '^tty-rc=[0-9]+$'
	pane_has '^tty-rc=0$' || flunk "tty failed"
	pane_has '^/dev/pts/[0-9]+$' || flunk "tty did not print /dev/pts/N"
	! pane_has 'not a tty' || flunk "the command has no tty"

	type_line "\"\$NSU\" -- test -t 0; echo \"t0=\$?\"; \"\$NSU\" -- test -t 1; echo \"t1=\$?\""
	wait_for 5 pane_has '^t1=[0-9]+$'
	pane_has '^t0=0$' || flunk "stdin is not a terminal inside"
	pane_has '^t1=0$' || flunk "stdout is not a terminal inside"
}

# Each delivery is counted by a handler that runs at once; a second copy of
# a signal (the terminal's plus one forwarded by nsu) can still merge with the
# first if it comes before the first is handled, so each test repeats the
# event and expects exactly one delivery each time.
ROUNDS=5

# count.pl SIGNAL LOG: append "N ROWS COLUMNS" to LOG on each SIGNAL; exit
# when LOG.stop exists.
write_counter() {
	cat >count.pl <<'SCRIPT'
my ($sig, $log) = @ARGV;
my $n = 0;
$SIG{$sig} = sub {
	$n++;
	my $size = `stty size`;
	open my $f, '>>', $log or die;
	print $f "$n $size";
	close $f;
};
open my $ready, '>', "$log.ready" or die;
close $ready;
select undef, undef, undef, 0.05 until -e "$log.stop";
SCRIPT
}

@test "Ctrl-C reaches a command trapping INT exactly once" {
	cat >int.sh <<'SCRIPT'
n=0
trap 'n=$((n + 1)); echo "$n" >>int.log' INT
echo ready >int.ready
while [ ! -e int.stop ]; do sleep 0.05; done
SCRIPT
	type_line "\"\$NSU\" -- bash int.sh; echo \"int-rc=\$?\""
	wait_for 5 test -e int.ready
	local i
	for ((i = 1; i <= ROUNDS; i++)); do
		keys C-c
		wait_for 5 lines_in int.log "$i"
	done
	sleep 0.2
	assert_eq "$(cat int.log)" "$(seq 1 "$ROUNDS")" "INT received (one line each)"
	touch int.stop
	wait_for 5 pane_has '(^|\^C)int-rc=[0-9]+$'
	pane_has '(^|\^C)int-rc=0$' || flunk "the command did not exit 0"
}

# ctrl_c_once [NSU-ARG...]: Ctrl-C, ROUNDS times, reaches a perl handler
# of INT in "nsu NSU-ARG... -- perl" exactly once each time.
ctrl_c_once() {
	need perl
	write_counter
	rm -f int.log int.log.ready int.log.stop
	type_line "\"\$NSU\" $* -- perl count.pl INT int.log; echo \"int-rc=\$?\""
	wait_for 5 test -e int.log.ready
	local i
	for ((i = 1; i <= ROUNDS; i++)); do
		keys C-c
		wait_for 5 lines_in int.log "$i"
	done
	sleep 0.2
	assert_eq "$(cut -d' ' -f1 int.log)" "$(seq 1 "$ROUNDS")" "INT received (one line each)"
	touch int.log.stop
	wait_for 5 pane_has '(^|\^C)int-rc=[0-9]+$'
	pane_has '(^|\^C)int-rc=0$' || flunk "the command did not exit 0"
}

# winch_once [NSU-ARG...]: each window resize gives "nsu NSU-ARG... -- perl"
# exactly one WINCH, and the new size.
winch_once() {
	need perl
	write_counter
	rm -f winch.log winch.log.ready winch.log.stop
	type_line "\"\$NSU\" $* -- perl count.pl WINCH winch.log; echo \"winch-rc=\$?\""
	wait_for 5 test -e winch.log.ready
	local i want=()
	for ((i = 1; i <= ROUNDS; i++)); do
		tmux -S "$SOCK" resize-window -t nsu -x $((80 + i)) -y $((20 + i))
		want+=("$i $((20 + i)) $((80 + i))")
		wait_for 5 lines_in winch.log "$i"
	done
	sleep 0.2
	assert_eq "$(cat winch.log)" "$(printf '%s\n' "${want[@]}")" \
		"WINCH received (count, rows, columns)"
	touch winch.log.stop
	wait_for 5 pane_has '^winch-rc=[0-9]+$'
	pane_has '^winch-rc=0$' || flunk "the command did not exit 0"
}

@test "Ctrl-C reaches a perl handler of INT exactly once" {
	ctrl_c_once
}

@test "a window resize gives exactly one WINCH to the command" {
	winch_once
}

@test "kill %1 gives a background nsu job's command each signal exactly once" {
	cat >usr1.sh <<'SCRIPT'
trap 'echo USR1 >>usr1.log' USR1
echo ready >usr1.ready
while [ ! -e usr1.stop ]; do sleep 0.05 & wait $!; done
SCRIPT
	type_line "\"\$NSU\" -- bash usr1.sh &"
	wait_for 5 test -e usr1.ready
	local i
	for ((i = 1; i <= 8; i++)); do
		type_line "kill -USR1 %1"
		wait_for 5 lines_in usr1.log "$i"
	done
	sleep 0.3
	assert_eq "$(cat usr1.log)" "$(printf 'USR1\n%.0s' {1..8})" "USR1 received (one line each)"
	touch usr1.stop
	type_line "wait %1; echo \"job-rc=\$?\""
	wait_for 5 pane_has '^job-rc=0$'
}

@test "a pipeline's other members keep the terminal: nsu -- cmd | reader of the tty" {
	type_line "\"\$NSU\" -- echo hi | { read -r x </dev/tty; echo \"pipe-got \$x\"; }"
	sleep 0.5
	type_line "typed"
	wait_for 5 pane_has '^pipe-got typed$'
}

# restart_with_helper SCRIPT: restart the pane's shell in a mount namespace
# where SCRIPT stands in for /usr/bin/newuidmap.
restart_with_helper() {
	tmux -S "$SOCK" kill-server 2>/dev/null || true
	cat >launch <<LAUNCH
#!/bin/bash
exec 3>&-
exec unshare --mount --propagation private -- bash -c '
	mount --bind "$1" /usr/bin/newuidmap || exit 1
	. "$NSU_FIXTURE_LIB"
	cd "$T" || exit 1
	export NSU="$NSU" T="$T" PS1="$PROMPT" HISTFILE=/dev/null
	as_user nsu-one bash --norc --noprofile -i'
LAUNCH
	sed -i "s|\"\$1\"|'$1'|" launch
	chmod 0755 launch
	tmux -S "$SOCK" -f /dev/null new-session -d -s nsu -x 100 -y 40 "$T/launch" 3>&-
	pane_ready
}

# Not under valgrind: valgrind does not carry out the stop that SIGTSTP, SIGTTIN and SIGTTOU ask for, so nsu cannot stop itself
# bats test_tags=no-valgrind
@test "Ctrl-Z while the maps are being written stops the job; fg finishes it" {
	printf '#!/bin/sh\necho $$ >"%s/helper.pid"\nwhile [ ! -e "%s/go" ]; do sleep 0.05; done\nexit 1\n' \
		"$T" "$T" >helper
	chmod 4755 helper
	track_pidfile "$T/helper.pid"
	restart_with_helper "$T/helper"
	type_line "\"\$NSU\" -q -- sh -c 'echo ran >\"\$T/ran\"'"
	wait_for 5 test -s helper.pid
	keys C-z
	wait_for 5 pane_has '^\[1\]\+ +Stopped +'
	[ ! -e ran ] || flunk "the command ran before the job was continued"
	touch go
	type_line "fg; echo \"fg-rc=\$?\""
	wait_for 5 pane_has '^fg-rc=0$'
	assert_eq "$(cat ran)" ran "the command ran after fg"
}

# --- the same through the init of a new pid namespace (--pid) -------------------------

# parent_of PID: the parent's pid.
parent_of() {
	local stat
	stat=$(cat "/proc/$1/stat") || return 1
	stat=${stat##*) }
	set -- $stat
	echo "$2"
}

# Not under valgrind: valgrind does not carry out the stop that SIGTSTP, SIGTTIN and SIGTTOU ask for, so nsu cannot stop itself
# bats test_tags=no-valgrind
@test "--pid: Ctrl-Z stops nsu, its init and the command; fg resumes; Ctrl-C ends it with 130" {
	local sleep_pid init_pid nsu_pid
	pane_starts sleep "\"\$NSU\" --pid -- sleep 1000"
	sleep_pid=$PROC
	init_pid=$(parent_of "$sleep_pid")
	nsu_pid=$(parent_of "$init_pid")
	assert_eq "$(readlink "/proc/$nsu_pid/exe")" "$NSU" "nsu, the init's parent"

	keys C-z
	wait_for 5 pane_has '^\[1\]\+ +Stopped +.*sleep 1000'
	wait_for 5 state_is "$sleep_pid" T
	wait_for 5 state_is "$nsu_pid" T

	type_line "fg"
	wait_for 5 state_is_not "$sleep_pid" T
	wait_for 5 state_is_not "$nsu_pid" T
	assert_eq "$(state "$sleep_pid")" S "state of the resumed command"

	keys C-z
	wait_for 5 pane_count '^\[1\]\+ +Stopped +.*sleep 1000' 2
	type_line "fg"
	wait_for 5 state_is_not "$sleep_pid" T

	keys C-c
	wait_for 5 gone "$sleep_pid"
	wait_for 5 gone "$init_pid"
	wait_for 5 gone "$nsu_pid"
	type_line 'echo "rc=$?"'
	wait_for 5 pane_has '(^|\^C)rc=130$'
}

# Not under valgrind: valgrind does not carry out the stop that SIGTSTP, SIGTTIN and SIGTTOU ask for, so nsu cannot stop itself
# bats test_tags=no-valgrind
@test "--pid: a background nsu reading the terminal stops; fg lets it read" {
	local cat_pid
	pane_starts cat "\"\$NSU\" --pid -- cat &"
	cat_pid=$PROC
	wait_for 5 state_is "$cat_pid" T
	type_line "jobs"
	wait_for 5 pane_has '^\[1\]\+ +Stopped.* +"\$NSU" --pid -- cat$'
	type_line "fg"
	wait_for 5 pane_has '^"\$NSU" --pid -- cat$'
	type_line "hello through the init"
	wait_for 5 pane_count '^hello through the init$' 2
	keys C-d
	type_line 'echo "cat-rc=$?"'
	wait_for 5 pane_has '^cat-rc=[0-9]+$'
	pane_has '^cat-rc=0$' || flunk "cat did not exit 0"
}

@test "--pid: the command sees the terminal, and Ctrl-C and WINCH reach it exactly once" {
	type_line "\"\$NSU\" --pid -- test -t 0; echo \"t0=\$?\""
	wait_for 5 pane_has '^t0=[0-9]+$'
	pane_has '^t0=0$' || flunk "stdin is not a terminal inside"

	ctrl_c_once --pid
	winch_once --pid
}

# Not under valgrind: valgrind does not carry out the stop that SIGTSTP, SIGTTIN and SIGTTOU ask for, so nsu cannot stop itself
# bats test_tags=no-valgrind
@test "a joined session with --pid: Ctrl-Z stops the job, fg resumes it, Ctrl-C ends it with 130" {
	local sleep_pid
	install -d -m 0700 -o nsu-one -g nsu-one "$T/run"
	type_line "export XDG_RUNTIME_DIR=\$T/run; \"\$NSU\" --session t --pid -- true; echo made"
	wait_for 5 pane_has '^made$'
	pane_starts sleep "\"\$NSU\" --session t -- sleep 1000"
	sleep_pid=$PROC
	keys C-z
	wait_for 5 pane_has '^\[1\]\+ +Stopped +.*sleep 1000'
	fg_then_ctrl_c "$sleep_pid"
	type_line "\"\$NSU\" --session t -- test -t 0; echo \"t0=\$?\"; \"\$NSU\" --session-stop t"
	wait_for 5 pane_has '^t0=0$'
}

# --- a group or session of its own (--new-pgrp, --setsid) -----------------------------

# pgrp_of PID / tty_of PID: the process group, and the controlling terminal (0: none).
pgrp_of() {
	local stat
	stat=$(cat "/proc/$1/stat") || return 1
	stat=${stat##*) }
	read -r _ _ pgrp _ <<<"$stat"
	echo "$pgrp"
}

tty_of() {
	local stat
	stat=$(cat "/proc/$1/stat") || return 1
	stat=${stat##*) }
	read -r _ _ _ _ tty _ <<<"$stat"
	echo "$tty"
}

# Not under valgrind: valgrind does not carry out the stop that SIGTSTP, SIGTTIN and SIGTTOU ask for, so nsu cannot stop itself
# bats test_tags=no-valgrind
@test "--pid --new-pgrp: the command leads its group, reads the terminal; Ctrl-Z, fg and Ctrl-C work" {
	local cat_pid
	pane_starts cat "\"\$NSU\" --pid --new-pgrp -- cat"
	cat_pid=$PROC
	assert_eq "$(pgrp_of "$cat_pid")" "$cat_pid" "the command's process group"
	type_line "read in the foreground"
	wait_for 5 pane_count '^read in the foreground$' 2

	keys C-z
	wait_for 5 pane_has '^\[1\]\+ +Stopped +.*cat$'
	wait_for 5 state_is "$cat_pid" T
	type_line "fg"
	wait_for 5 state_is_not "$cat_pid" T
	type_line "read again after fg"
	wait_for 5 pane_count '^read again after fg$' 2

	keys C-c
	wait_for 5 gone "$cat_pid"
	type_line 'echo "rc=$?"'
	wait_for 5 pane_has '(^|\^C)rc=130$'
}

# Not under valgrind: valgrind does not carry out the stop that SIGTSTP, SIGTTIN and SIGTTOU ask for, so nsu cannot stop itself
# bats test_tags=no-valgrind
@test "--setsid: the command has no controlling terminal; Ctrl-Z, fg and Ctrl-C still reach it" {
	local nsu_pid sleep_pid
	type_line "\"\$NSU\" --setsid -- sleep 1000"
	wait_for 5 find_proc "$NSU" 61001
	nsu_pid=$PROC
	# The command is nsu's child, in a session of its own (not the pane's).
	wait_for 5 pgrep -x -P "$nsu_pid" sleep
	sleep_pid=$(pgrep -x -P "$nsu_pid" sleep)
	assert_eq "$(session_of "$sleep_pid")" "$sleep_pid" "the command's session"
	assert_eq "$(tty_of "$sleep_pid")" 0 "the command's controlling terminal"

	keys C-z
	wait_for 5 pane_has '^\[1\]\+ +Stopped +.*sleep 1000'
	wait_for 5 state_is "$sleep_pid" T
	fg_then_ctrl_c "$sleep_pid"

	type_line "\"\$NSU\" --setsid -- sh -c 'test -t 0 && echo stdin-is-a-tty; ps -o tty= -p \$\$'"
	wait_for 5 pane_has '^stdin-is-a-tty$'
	wait_for 5 pane_has '^\?$'
}
