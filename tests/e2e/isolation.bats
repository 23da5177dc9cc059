#!/usr/bin/env bats
# Isolation beyond the user and mount namespace: --pid (with its init),
# --uts/--hostname, --ipc, --net, --cgroup; --die-with-parent,
# --oom-score-adj, capabilities and no_new_privs. Each for a user with
# subordinate ranges (nsu-one), one without (nsu-none, single-ID map) and
# root (no user namespace).

load helpers

WHO=(nsu-one nsu-none root)

# ns_link NS: this process's link of namespace NS.
ns_link() {
	readlink "/proc/self/ns/$1"
}

NS_ALL=(pid uts ipc net cgroup)

@test "each namespace option makes that namespace and leaves the others shared" {
	local who opt ns got i
	for who in "${WHO[@]}"; do
		for opt in "${NS_ALL[@]}"; do
			run --separate-stderr nsu_who "$who" "--$opt" -- sh -c \
				'for n in pid uts ipc net cgroup; do readlink /proc/self/ns/$n; done'
			assert_status 0
			assert_eq "$stderr" "" "$who --$opt: stderr"
			i=0
			for ns in "${NS_ALL[@]}"; do
				got=${lines[i]}
				i=$((i + 1))
				assert_match "$got" "^$ns:\\[[0-9]+\\]\$" "$who --$opt: $ns link"
				if [ "$ns" = "$opt" ]; then
					[ "$got" != "$(ns_link "$ns")" ] ||
						flunk "$who --$opt: the $ns namespace is the caller's"
				else
					assert_eq "$got" "$(ns_link "$ns")" "$who --$opt: the $ns namespace"
				fi
			done
		done
	done
}

@test "without a namespace option, only the user and mount namespaces are new" {
	local ns
	run --separate-stderr nsu_as nsu-one -- sh -c \
		'for n in pid uts ipc net cgroup; do readlink /proc/self/ns/$n; done'
	assert_status 0
	assert_eq "$output" "$(for ns in "${NS_ALL[@]}"; do ns_link "$ns"; done)" "namespaces"
}

@test "all namespaces at once, with the user's maps unchanged" {
	run --separate-stderr nsu_as nsu-one --pid --uts --ipc --net --cgroup -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "uid 1 100000 65536" "gid 0 61001 1" \
		"gid 1 100000 65536" "setgroups allow")" "maps"
	assert_eq "$stderr" "" "stderr"
}

# --- --pid ----------------------------------------------------------------------

@test "--pid: the command is pid 2 under nsu's init, which is pid 1" {
	local who
	for who in "${WHO[@]}"; do
		run --separate-stderr nsu_who "$who" --pid -- sh -c 'echo $$ $PPID'
		assert_status 0
		assert_eq "$output" "2 1" "$who: pid and parent pid"
	done
}

@test "--pid: exit status and death by signal are passed through" {
	local who
	for who in "${WHO[@]}"; do
		run nsu_who "$who" --pid -- sh -c 'exit 42'
		assert_status 42
		run nsu_who "$who" --pid -- sh -c 'exit 0'
		assert_status 0
		run nsu_who "$who" --pid -- sh -c 'kill -TERM $$'
		assert_status 143
		run nsu_who "$who" --pid -- sh -c 'kill -KILL $$'
		assert_status 137
	done
	run -127 --separate-stderr nsu_as nsu-one --pid -- no-such-command
	assert_eq "$stderr" "nsu: no-such-command: command not found" "stderr"
}

@test "--pid: nsu itself dies of the command's signal" {
	run bash -c '"$1" --pid -- sh -c "kill -SEGV \$\$"; echo "rc=$?"' - "$NSU"
	assert_line_match "$output" '^rc=139$' "status"
	# The caller sees a signal, not an exit status (no core dump).
	run perl -e 'system(@ARGV); print "sig=", $? & 127, " core=", ($? & 128) ? 1 : 0, "\n"' \
		-- "$NSU" --pid -- sh -c 'kill -ABRT $$'
	assert_eq "$output" "sig=6 core=0" "wait status"
}

@test "--pid: SIGPIPE in a pipeline, and a signal the caller ignores stays ignored" {
	as_user nsu-one env --default-signal=PIPE "$NSU" --pid -- yes | head -n 1 >out
	assert_eq "${PIPESTATUS[*]}" "141 0" "pipeline statuses"
	assert_eq "$(cat out)" y "output"
	run --separate-stderr as_user nsu-one env --ignore-signal=HUP "$NSU" --pid -- \
		sh -c 'kill -HUP $$; echo alive'
	assert_status 0
	assert_eq "$output" alive "output"
}

@test "--pid: orphans are reaped: no zombie is ever left in the namespace" {
	local who
	for who in "${WHO[@]}"; do
		# Five orphans that end at once and three that end later, while
		# the command still runs; then the states of all processes.
		run --separate-stderr nsu_who "$who" --pid --mount-proc -- sh -c '
			for i in 1 2 3 4 5; do sh -c "true & exit 0"; done
			for i in 1 2 3; do sh -c "(sleep 0.2; exit 3) & exit 0"; done
			sleep 0.6
			for s in /proc/[0-9]*/stat; do
				read -r pid comm state ppid rest <"$s" && echo "$pid $state $ppid"
			done'
		assert_status 0
		assert_eq "$stderr" "" "$who: stderr"
		assert_no_match "$output" "[0-9]+ Z " "$who: a zombie is left"
		# Only the init, the command and its own reading processes remain.
		assert_has_line "$output" "1 S 0" "$who: the init"
	done
}

@test "--pid: processes left when the command ends are killed" {
	run --separate-stderr nsu_as nsu-one --pid -- sh -c \
		'sleep 4711 & echo $! >left.pid; setsid sleep 4711 & echo $! >>left.pid'
	assert_status 0
	local p
	[ "$(wc -l <left.pid)" = 2 ] || flunk "left.pid: $(cat left.pid)"
	# Their pids there are inside the namespace: look for the processes by their argument.
	wait_for 5 sh -c '! pgrep -f "^sleep 4711$" >/dev/null'
	for p in $(pgrep -f "^sleep 4711$"); do
		kill -KILL "$p" 2>/dev/null || true
	done
}

@test "--pid: a process that outlives the command without --pid keeps running (the difference)" {
	run --separate-stderr nsu_as nsu-one -- sh -c 'sleep 4712 >/dev/null 2>&1 & echo $!'
	assert_status 0
	local p=$output
	track_pidfile "$T/outlived.pid"
	echo "$p" >outlived.pid
	sleep 0.3
	assert_eq "$(state "$p")" S "state of the command's child after nsu ended"
	kill -KILL "$p"
}

@test "--pid: signals sent to nsu reach the command exactly once" {
	signals_pass_once -- --pid
	assert_eq "$(cat nsu.pid.err)" "" "stderr"
}

@test "--pid: a signal sent to nsu reaches the command's children too, once each" {
	start_counter "" --pid
	local i
	for ((i = 1; i <= 4; i++)); do
		kill -USR1 "$BG_PID"
		wait_for 5 lines_in sig "$i"
		wait_for 5 lines_in sig.child "$i"
	done
	sleep 0.3
	assert_eq "$(cat sig)" "$(printf 'USR1\n%.0s' {1..4})" "USR1 received by the command"
	assert_eq "$(cat sig.child)" "$(printf 'USR1\n%.0s' {1..4})" "USR1 received by its child"
	touch sig.stop
	bg_wait 5
	assert_eq "$status" 0 "exit status"
}

# stop_and_resume HOW: nsu --pid running a loop, in a process group of its
# own; stopped by HOW (STOP to the command, or TSTP to nsu), nsu and the
# command stop; CONT to nsu resumes both, and the run ends well.
stop_and_resume() {
	rm -f cmd.ready stop nsu.pid
	bg_as nsu-one nsu.pid perl -e 'setpgrp(0, 0); exec @ARGV or die "exec: $!"' "$NSU" --pid -- \
		sh -c 'echo x >cmd.ready; while [ ! -e stop ]; do sleep 0.05; done'
	wait_for 5 test -s cmd.ready
	# The command's pid outside: the sh under the init, nsu's child.
	local init cmd
	init=$(pgrep -P "$BG_PID")
	cmd=$(pgrep -P "$init" -x sh)
	[ -n "$cmd" ] || flunk "no command under the init"
	if [ "$1" = STOP ]; then
		kill -STOP "$cmd"
	else
		kill -TSTP "$BG_PID"
	fi
	wait_for 5 state_is "$cmd" T
	wait_for 5 state_is "$BG_PID" T
	kill -CONT "$BG_PID"
	wait_for 5 state_is_not "$cmd" T
	wait_for 5 state_is_not "$BG_PID" T
	touch stop
	bg_wait 5
	assert_eq "$status" 0 "exit status"
}

@test "--pid: a command stopped by STOP stops nsu; CONT to nsu resumes both" {
	stop_and_resume STOP
}

# Not under valgrind: valgrind does not carry out the stop of SIGTSTP
# bats test_tags=no-valgrind
@test "--pid: TSTP sent to nsu stops the command and nsu; CONT resumes both" {
	stop_and_resume TSTP
}

@test "--pid: killing nsu with KILL ends every process of the namespace" {
	bg_as nsu-one nsu.pid "$NSU" --pid -- sh -c \
		'sleep 4713 & setsid sleep 4713 & echo started >cmd.ready; wait'
	wait_for 5 test -s cmd.ready
	wait_for 5 sh -c '[ "$(pgrep -c -f "^sleep 4713$")" = 2 ]'
	kill -KILL "$BG_PID"
	wait_for 5 sh -c '! pgrep -f "^sleep 4713$" >/dev/null'
}

# FDS: list the descriptors of the process (ls's own directory descriptor aside).
FDS='ls -l /proc/self/fd | awk "NR > 1 && \$NF != \"/proc/\" \$9 \"/fd\" { print \$9 }" | sort -n | tr "\n" " "'

@test "--pid: stdin, stdout, argv and the descriptors pass through the init" {
	local caller
	exec 7</dev/null
	caller=$(as_user nsu-one sh -c "$FDS")
	run --separate-stderr nsu_as nsu-one --pid -- sh -c \
		"$FDS"'; printf "[%s]" "$@"; cat' - 'a b' '' 'c' <<<"input"
	exec 7<&-
	assert_status 0
	assert_eq "$output" "$caller[a b][][c]input" "fds, argv and stdin"
	assert_match "$caller" "(^| )7 " "the caller's fds"
}

@test "--pid --mount-proc: ps sees only the namespace's processes" {
	local who
	for who in "${WHO[@]}"; do
		run --separate-stderr nsu_who "$who" --pid --mount-proc -- sh -c \
			'ls -d /proc/[0-9]* | sort -V | tr "\n" " "; echo; readlink /proc/self'
		assert_status 0
		assert_eq "$stderr" "" "$who: stderr"
		# The init, sh, ls and sort (tr and readlink may not have started).
		assert_match "${lines[0]}" "^/proc/1 /proc/2 /proc/[0-9]+ " "$who: processes"
		assert_match "${lines[1]}" "^[0-9]+$" "$who: /proc/self"
		(( ${lines[1]} < 10 )) || flunk "$who: /proc/self is ${lines[1]}: not the namespace's /proc"
	done
	# Outside, /proc is untouched.
	[ -d "/proc/$$" ] || flunk "the test's /proc changed"
}

@test "--mount-proc without --pid is refused" {
	run --separate-stderr nsu_as nsu-one --mount-proc -- true
	assert_status 125
	assert_eq "$stderr" "nsu: option '--mount-proc' needs '--pid': a /proc of its own shows a pid namespace of its own" "stderr"
}

# --- uts, ipc, net, cgroup ----------------------------------------------------------

@test "--hostname: the name inside only; --uts alone keeps the caller's name" {
	local who outside
	outside=$(hostname)
	for who in "${WHO[@]}"; do
		run --separate-stderr nsu_who "$who" --hostname build-box -- sh -c 'hostname; uname -n'
		assert_status 0
		assert_eq "$output" "$(printf 'build-box\nbuild-box')" "$who: host name inside"
		run --separate-stderr nsu_who "$who" --uts -- sh -c 'hostname new-name && hostname'
		assert_status 0
		assert_eq "$output" new-name "$who: host name set inside"
		assert_eq "$(hostname)" "$outside" "$who: host name outside"
	done
}

@test "--hostname: a name longer than the kernel takes is refused before anything runs" {
	local name
	name=$(printf 'x%.0s' {1..65})
	run --separate-stderr nsu_as nsu-one --hostname "$name" -- touch ran
	assert_status 125
	assert_eq "$stderr" "nsu: option '--hostname': '$name' is longer than 64 characters, the most a host name may have" "stderr"
	[ ! -e ran ] || flunk "the command ran"
	run --separate-stderr nsu_as nsu-one --hostname "${name%x}" -- hostname
	assert_status 0
	assert_eq "$output" "${name%x}" "a name of 64 characters"
}

@test "--net: the loopback interface is up and the only one" {
	local who
	for who in "${WHO[@]}"; do
		run --separate-stderr nsu_who "$who" --net -- bash -c '
			sed -n "3,\$s/^ *\\([^:]*\\):.*/\\1/p" /proc/net/dev
			# Up: a closed port refuses. Down: the network is unreachable.
			(exec 3<>/dev/tcp/127.0.0.1/9) 2>&1 | sed -n "\$s/.*: //p"'
		assert_status 0
		assert_eq "$output" "$(printf 'lo\nConnection refused')" "$who: interfaces and loopback"
	done
}

@test "--net: a server on the loopback answers inside" {
	run --separate-stderr nsu_as nsu-one --net -- perl -MIO::Socket::INET -e '
		my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1:0") or die "listen: $!";
		my $c = IO::Socket::INET->new(PeerAddr => "127.0.0.1:" . $s->sockport) or die "connect: $!";
		print $c "hello\n"; close $c;
		my $a = $s->accept; print scalar <$a>;'
	assert_status 0
	assert_eq "$output" hello "received"
}

@test "--ipc: System V objects made inside are not seen outside" {
	local before
	before=$(tail -n +2 /proc/sysvipc/msg | wc -l)
	run --separate-stderr nsu_as nsu-one --ipc -- sh -c \
		'ipcmk -Q >/dev/null && tail -n +2 /proc/sysvipc/msg | wc -l'
	assert_status 0
	assert_eq "$output" 1 "message queues inside"
	assert_eq "$(tail -n +2 /proc/sysvipc/msg | wc -l)" "$before" "message queues outside"
}

@test "--cgroup: the command's cgroup is the root of its view" {
	run --separate-stderr nsu_as nsu-one --cgroup -- cat /proc/self/cgroup
	assert_status 0
	# One line per hierarchy (cgroup v2 alone: "0::/"), each at its root.
	assert_line_match "$output" "^0::/$" "cgroup inside"
	assert_eq "$(grep -v ':/$' <<<"$output")" "" "cgroups inside not at the root"
	run --separate-stderr nsu_as nsu-one -- cat /proc/self/cgroup
	assert_eq "$output" "$(cat /proc/self/cgroup)" "cgroup without --cgroup"
}

# --- --die-with-parent ------------------------------------------------------------

# start_under_parent ARG...: start, as nsu-one, a shell (the parent) that
# runs nsu ARG... -- sleep 4714 in the background and waits; PARENT is the
# shell's pid.
start_under_parent() {
	bg_as nsu-one parent.pid sh -c '"$0" "$@" -- sh -c "echo \$\$ >cmd.tmp && mv cmd.tmp cmd.pid && exec sleep 4714" & wait' "$NSU" "$@"
	PARENT=$BG_PID
	track_pidfile "$T/cmd.pid"
	wait_for 5 test -s cmd.pid
}

@test "--die-with-parent: the command ends when nsu's parent is killed" {
	local args cmd
	for args in "--die-with-parent" "--die-with-parent -q --single" "--die-with-parent --pid"; do
		rm -f cmd.pid parent.pid
		# shellcheck disable=SC2086
		start_under_parent $args
		wait_for 5 sh -c '[ "$(pgrep -c -f "^sleep 4714$")" = 1 ]'
		kill -KILL "$PARENT"
		wait_for 3 sh -c '! pgrep -f "^sleep 4714$" >/dev/null' || flunk "$args: the command still runs"
	done
}

@test "--die-with-parent: root's command ends with the parent too" {
	local args
	for args in "--die-with-parent" "--die-with-parent --pid"; do
		rm -f cmd.pid parent.pid
		# shellcheck disable=SC2086
		bg_as root parent.pid sh -c '"$0" "$@" -- sh -c "echo \$\$ >cmd.pid; exec sleep 4715" & wait' "$NSU" $args
		wait_for 5 sh -c '[ "$(pgrep -c -f "^sleep 4715$")" = 1 ]'
		kill -KILL "$BG_PID"
		wait_for 3 sh -c '! pgrep -f "^sleep 4715$" >/dev/null' || flunk "$args: the command still runs"
	done
}

@test "without --die-with-parent the command outlives a killed parent" {
	start_under_parent
	local cmd
	cmd=$(cat cmd.pid)
	kill -KILL "$PARENT"
	sleep 0.5
	assert_eq "$(state "$cmd")" S "state of the command"
}

@test "--die-with-parent from the configuration file" {
	printf '[command]\ndie-with-parent = yes\n' >nsu.conf
	chmod 0644 nsu.conf
	NSU_CONFIG=$T/nsu.conf start_under_parent
	kill -KILL "$PARENT"
	wait_for 3 sh -c '! pgrep -f "^sleep 4714$" >/dev/null'
}

@test "--die-with-parent: a parent killed during the set-up: nothing runs, nothing is left" {
	# newuidmap hangs, so nsu is still writing the maps when its parent dies.
	printf '#!/bin/sh\necho $$ >"%s/helper.pid"\nexec sleep 4716\n' "$T" >hang
	chmod 0755 hang
	track_pidfile "$T/helper.pid"
	unshare --mount --propagation private -- bash -c '
		mount --bind "$1/hang" /usr/bin/newuidmap || exit 125
		. "$2"
		as_user nsu-one sh -c "echo \$\$ >\"\$1/parent.pid\"; \"\$2\" --die-with-parent -- touch \"\$1/ran\" & wait" \
			- "$1" "$3"' - "$T" "$NSU_FIXTURE_LIB" "$NSU" </dev/null >/dev/null 2>&1 3>&- &
	track_pidfile "$T/parent.pid"
	wait_for 5 test -s helper.pid
	local parent
	parent=$(cat parent.pid)
	kill -KILL "$parent"
	# nsu dies with its parent, its child with nsu; the helper is nsu's to stop.
	wait_for 3 sh -c '! pgrep -u nsu-one -f "nsu --die-with-parent" >/dev/null'
	sleep 0.3
	[ ! -e ran ] || flunk "the command ran"
	pkill -f "sleep 4716" || true
}

# --- --oom-score-adj ---------------------------------------------------------------

@test "--oom-score-adj: raising works for everyone" {
	local who
	for who in "${WHO[@]}"; do
		run --separate-stderr nsu_who "$who" --oom-score-adj 500 -- cat /proc/self/oom_score_adj
		assert_status 0
		assert_eq "$output" 500 "$who: oom_score_adj"
		run --separate-stderr nsu_who "$who" --pid --oom-score-adj 1000 -- cat /proc/self/oom_score_adj
		assert_eq "$output" 1000 "$who: oom_score_adj with --pid"
	done
	# Lowering again down to where it was is no lowering past the kernel's floor.
	run --separate-stderr nsu_as nsu-one --oom-score-adj 500 -- \
		"$NSU" --oom-score-adj 300 -- cat /proc/self/oom_score_adj
	assert_status 0
	assert_eq "$output" 300 "lowered from 500 to 300"
}

@test "--oom-score-adj: lowering is refused by the kernel: a clear error, nothing run" {
	run --separate-stderr nsu_as nsu-one --oom-score-adj -100 -- touch ran
	assert_status 125
	assert_eq "$stderr" "nsu: --oom-score-adj -100: the kernel refuses to lower the OOM score adjustment that far without CAP_SYS_RESOURCE (it is 0 now; raising it always works)" "stderr"
	[ ! -e ran ] || flunk "the command ran"
	# Root may, if it holds CAP_SYS_RESOURCE (some containers take it away).
	run --separate-stderr "$NSU" --oom-score-adj -100 -- cat /proc/self/oom_score_adj
	if (( (0x$(awk '/^CapEff:/ { print $2 }' /proc/self/status) >> 24) & 1 )); then
		assert_status 0
		assert_eq "$output" -100 "root's oom_score_adj"
	else
		assert_status 125
		assert_match "$stderr" "^nsu: --oom-score-adj -100: the kernel refuses to lower" "root's stderr"
	fi
}

@test "--oom-score-adj: out of range or not a number" {
	local v
	for v in 1001 -1001 abc '' 1e3 ' 5'; do
		run --separate-stderr nsu_as nsu-one --oom-score-adj "$v" -- true
		assert_status 125
		assert_match "$stderr" "^nsu: option '--oom-score-adj': " "stderr for '$v'"
	done
}

# --- capabilities -----------------------------------------------------------------------

# CAPS: print the five capability sets of the command, "Inh Prm Eff Bnd Amb".
CAPS=(sh -c 'awk "/^Cap(Inh|Prm|Eff|Bnd|Amb):/ { printf \"%s \", \$2 }" /proc/self/status')

# full_set: every capability this kernel has, as /proc/self/status writes a
# set: what uid 0 holds in a new user namespace.
full_set() {
	printf '%016x\n' $(((1 << ($(cat /proc/sys/kernel/cap_last_cap) + 1)) - 1))
}

@test "by default the command keeps uid 0's full set in its namespace" {
	local full
	full=$(full_set)
	run --separate-stderr nsu_as nsu-one -- "${CAPS[@]}"
	assert_status 0
	assert_eq "$output" "0000000000000000 $full $full $full 0000000000000000 " "capability sets"
}

@test "--caps-none: all five sets are empty, for everyone" {
	local who
	for who in "${WHO[@]}"; do
		run --separate-stderr nsu_who "$who" --caps-none -- "${CAPS[@]}"
		assert_status 0
		assert_eq "$output" "$(printf '0000000000000000 %.0s' 1 2 3 4 5)" "$who: capability sets"
		# Without capabilities, root inside cannot chown a file it does not own.
		run --separate-stderr nsu_who "$who" --caps-none -- sh -c 'touch f && chown 1 f'
		[ "$status" != 0 ] || flunk "$who: chown worked without CAP_CHOWN"
		rm -f f
	done
}

@test "--cap-drop: the capability leaves every set, in any spelling" {
	local full name drop
	full=$(full_set)
	for name in sys_admin SYS_ADMIN cap_sys_admin CAP_Sys_Admin; do
		run --separate-stderr nsu_as nsu-one --cap-drop "$name" --cap-drop chown -- "${CAPS[@]}"
		assert_status 0
		drop=$(printf '%016x' $((0x$full & ~(1 << 21) & ~1)))
		assert_eq "$output" "0000000000000000 $drop $drop $drop 0000000000000000 " "sets with $name dropped"
	done
	run --separate-stderr nsu_as nsu-one --cap-drop chown -- sh -c 'touch f && chown 1 f'
	[ "$status" != 0 ] || flunk "chown worked without CAP_CHOWN"
}

@test "--caps-none --cap-add: only the added capability" {
	local who
	for who in "${WHO[@]}"; do
		run --separate-stderr nsu_who "$who" --caps-none --cap-add chown --cap-add CAP_FOWNER -- "${CAPS[@]}"
		assert_status 0
		assert_eq "$output" "0000000000000000 0000000000000009 0000000000000009 0000000000000009 0000000000000000 " "$who: capability sets"
	done
}

@test "--cap-add: a command that runs as a user other than 0 inside gets it, ambient" {
	run --separate-stderr nsu_as nsu-one --map-current-user --cap-add chown -- \
		sh -c 'id -u; awk "/^Cap(Eff|Amb):/ { print \$2 }" /proc/self/status'
	assert_status 0
	assert_eq "$output" "$(printf '61001\n0000000000000001\n0000000000000001')" "uid and sets"
	run --separate-stderr nsu_as nsu-one --map-current-user -- \
		sh -c 'awk "/^Cap(Eff|Amb):/ { print \$2 }" /proc/self/status'
	assert_eq "$output" "$(printf '0000000000000000\n0000000000000000')" "sets without --cap-add"
}

@test "capability options: unknown names and contradictions are refused" {
	run --separate-stderr nsu_as nsu-one --cap-drop sys_nothing -- true
	assert_status 125
	assert_eq "$stderr" "nsu: option '--cap-drop': 'sys_nothing' is not a capability (see capabilities(7); capsh --print lists them)" "stderr"
	run --separate-stderr nsu_as nsu-one --cap-add 12 -- true
	assert_status 125
	assert_eq "$stderr" "nsu: option '--cap-add': '12' is not a capability (see capabilities(7); capsh --print lists them)" "stderr"
	run --separate-stderr nsu_as nsu-one --cap-drop chown --cap-add CAP_CHOWN -- true
	assert_status 125
	assert_eq "$stderr" "nsu: options '--cap-drop' and '--cap-add' both name cap_chown" "stderr"
}

@test "--no-new-privs: set for the command only when asked" {
	local who
	for who in "${WHO[@]}"; do
		run --separate-stderr nsu_who "$who" --no-new-privs -- grep NoNewPrivs /proc/self/status
		assert_status 0
		assert_eq "$output" "NoNewPrivs:	1" "$who: with the option"
		run --separate-stderr nsu_who "$who" -- grep NoNewPrivs /proc/self/status
		assert_eq "$output" "NoNewPrivs:	0" "$who: without"
	done
}

# --- everything together --------------------------------------------------------------

@test "every option at once keeps the exit status, argv, stdin and the descriptors" {
	local caller
	exec 7</dev/null
	caller=$(as_user nsu-one sh -c "$FDS")
	run --separate-stderr nsu_as nsu-one --pid --mount-proc --uts --hostname h --ipc --net \
		--cgroup --die-with-parent --oom-score-adj 10 --caps-none --no-new-privs \
		--tmpfs /mnt --ro-bind /etc /mnt/etc -- \
		sh -c "$FDS"'; printf "[%s]" "$@"; cat; exit 3' - 'a b' '' <<<"in"
	exec 7<&-
	assert_status 3
	assert_eq "$output" "$caller[a b][]in" "fds, argv and stdin"
	assert_eq "$stderr" "" "stderr"
}

@test "[namespaces] in the configuration file: pid, net and mount-proc for every run" {
	printf '[namespaces]\npid = yes\nnet = yes\nmount-proc = yes\n' >nsu.conf
	chmod 0644 nsu.conf
	run --separate-stderr env NSU_CONFIG="$T/nsu.conf" HOME=/home/nsu-one \
		setpriv --reuid=nsu-one --regid=nsu-one --init-groups -- "$NSU" -- sh -c \
		'echo $$; readlink /proc/self/ns/net; set -- /proc/[0-9]*; echo "$*"'
	assert_status 0
	assert_eq "${lines[0]}" 2 "pid"
	[ "${lines[1]}" != "$(ns_link net)" ] || flunk "the caller's network namespace"
	# The init and sh: a /proc of the namespace.
	assert_eq "${lines[2]}" "/proc/1 /proc/2" "processes in /proc"
	# mount-proc alone asks for nothing.
	printf '[namespaces]\nmount-proc = yes\n' >nsu.conf
	run --separate-stderr env NSU_CONFIG="$T/nsu.conf" HOME=/home/nsu-one \
		setpriv --reuid=nsu-one --regid=nsu-one --init-groups -- "$NSU" -- readlink /proc/self/ns/pid
	assert_status 0
	assert_eq "$output" "$(ns_link pid)" "pid namespace"
}
