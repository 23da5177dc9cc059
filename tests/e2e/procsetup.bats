#!/usr/bin/env bats
# The command's own process: --user, --setsid, --new-pgrp and --rlimit, in a
# new namespace, under --pid's init and in a joined session; and the paths
# --mask-path hides and --ro-path makes read-only. Each asserted on what the
# command sees or what is left on disk.

load helpers

test_setup() {
	session_dirs
}

# STAT: prints the pid, process group and session of the command itself (as
# the /proc it sees counts them) and its controlling terminal (0: none).
STAT=(sh -c 'exec cut -d" " -f1,5,6,7 /proc/self/stat')

# stat_fields PID PGRP SID TTY: split a STAT line into those variables.
stat_fields() {
	read -r PID PGRP SID TTY <<<"$1"
}

# TRAP_TERM FILE: waits until it gets TERM, then writes "got TERM" to FILE and exits 7.
TRAP_TERM=(sh -c 'sleep 1000 & p=$!; trap "kill $p; echo got TERM >\"$0\"; exit 7" TERM; echo >"$0.ready"; wait')

# term_reaches_trap OPTION...: a TERM sent to nsu, run with OPTION..., ends
# the command through its trap.
term_reaches_trap() {
	bg_as nsu-one pidfile "$NSU" "$@" -- "${TRAP_TERM[@]}" "$T/got"
	wait_for 5 test -e "$T/got.ready"
	kill -TERM "$BG_PID" || flunk "nsu ended early: $(cat pidfile.err)"
	wait_for 5 test -s "$T/got"
	assert_eq "$(cat "$T/got")" "got TERM" "the command's trap"
	wait_for 5 gone "$BG_PID"
}

# --- --user ------------------------------------------------------------------------

@test "--user: the command runs as that uid and gid inside, without groups or capabilities" {
	run --separate-stderr nsu_as nsu-one --user 1000:2000 -- sh -c \
		'id -u; id -g; id -G; grep -E "^Cap(Prm|Eff|Amb):" /proc/self/status; touch made'
	assert_status 0
	assert_eq "$stderr" "" "stderr"
	assert_eq "$output" "$(printf '%s\n' 1000 2000 2000 "CapPrm:	0000000000000000" \
		"CapEff:	0000000000000000" "CapAmb:	0000000000000000")" "ids and capabilities"
	# Inside 1000 and 2000 are 999 and 1999 into nsu-one's range of 100000.
	assert_eq "$(stat -c %u:%g made)" "100999:101999" "the owner of a file it made"
}

@test "--user UID: the gid is the same number; --user 0 is root as without it" {
	run --separate-stderr nsu_as nsu-one --user 1000 -- sh -c 'id -u; id -g'
	assert_status 0
	assert_eq "$output" "$(printf '1000\n1000')" "ids"
	run --separate-stderr nsu_as nsu-one --user 0 -- sh -c 'id -u; id -g; grep ^CapEff: /proc/self/status'
	assert_status 0
	assert_eq "${lines[0]} ${lines[1]}" "0 0" "ids"
	[ "${lines[2]}" != "CapEff:	0000000000000000" ] || flunk "root inside has no capability"
}

@test "--user with --pid: the command runs as that user under the init" {
	run --separate-stderr nsu_as nsu-one --pid --user 5:6 -- sh -c 'id -u; id -g; echo $$'
	assert_status 0
	assert_eq "$output" "$(printf '5\n6\n2')" "ids and pid"
}

@test "--user in the single-ID map: 0 works (setgroups is denied there), others are not mapped" {
	run --separate-stderr nsu_as nsu-none -q --user 0:0 -- id -u
	assert_status 0
	assert_eq "$output" 0 "uid"
	run --separate-stderr nsu_as nsu-none -q --user 1000 -- touch ran
	assert_status 125
	assert_eq "$stderr" "nsu: --user 1000:1000: gid 1000 is not mapped inside (the map has 0-0); choose a mapped one, see nsu --print-mappings" "stderr"
	[ ! -e ran ] || flunk "the command ran"
}

@test "--user with an id outside the map: 125 naming the option, the map and the fix" {
	run --separate-stderr nsu_as nsu-one --user 70000:0 -- touch ran
	assert_status 125
	assert_eq "$stderr" "nsu: --user 70000:0: uid 70000 is not mapped inside (the map has 0-65536); choose a mapped one, see nsu --print-mappings" "stderr"
	[ ! -e ran ] || flunk "the command ran"
}

@test "--user: bad values are refused before anything runs" {
	local v
	for v in -1 4294967295 99999999999999999999 1x root 1:2:3 ""; do
		run --separate-stderr nsu_as nsu-one --user "$v" -- touch ran
		assert_status 125
		assert_eq "$stderr" "nsu: option '--user': '$v' is not UID or UID:GID, numbers from 0 to 4294967294 (ids inside the namespace; names are not looked up)" "stderr for '$v'"
	done
	[ ! -e ran ] || flunk "the command ran"
}

@test "--user in a joined session, with and without a pid namespace" {
	local opt
	for opt in --uts --pid; do
		run --separate-stderr sess nsu-one --session "s$opt" "$opt" -- id -u
		assert_status 0
		assert_eq "$output" 0 "$opt: the call that made it"
		run --separate-stderr sess nsu-one --session "s$opt" --user 7:8 -- sh -c 'id -u; id -g; id -G'
		assert_status 0
		assert_eq "$stderr" "" "$opt: stderr"
		assert_eq "$output" "$(printf '7\n8\n8')" "$opt: ids of the joined call"
		run --separate-stderr sess nsu-one --session "s$opt" -- id -u
		assert_eq "$output" 0 "$opt: the next call, without --user"
		sess nsu-one --session-stop "s$opt"
	done
}

@test "--user as root (no user namespace): the host's ids" {
	run --separate-stderr nsu_who root --user 61001:61001 -- sh -c 'id -u; id -g; id -G'
	assert_status 0
	assert_eq "$output" "$(printf '61001\n61001\n61001')" "ids"
}

# --- --setsid ----------------------------------------------------------------------

@test "--setsid: the command leads a session of its own, without a controlling terminal" {
	local who
	for who in nsu-one nsu-none root; do
		run --separate-stderr nsu_who "$who" --setsid -- "${STAT[@]}"
		assert_status 0
		stat_fields "$output"
		assert_eq "$SID" "$PID" "$who: the session is the command's"
		assert_eq "$PGRP" "$PID" "$who: its process group too"
		assert_eq "$TTY" 0 "$who: no controlling terminal"
		run --separate-stderr nsu_who "$who" --setsid -- sh -c 'ps -o sid=,tty= -p $$'
		assert_match "$output" "^ *[0-9]+ +\\?\$" "$who: ps"
		run --separate-stderr nsu_who "$who" -- "${STAT[@]}"
		stat_fields "$output"
		[ "$SID" != "$PID" ] || flunk "$who: without --setsid, the command leads a session"
	done
}

@test "--setsid: standard input and output still work" {
	echo "through stdin" >in.txt
	run --separate-stderr nsu_as nsu-one --setsid -- cat <in.txt
	assert_status 0
	assert_eq "$output" "through stdin" "output"
}

@test "--setsid with --pid: the command the init runs leads its session" {
	run --separate-stderr nsu_as nsu-one --pid --setsid -- "${STAT[@]}"
	assert_status 0
	stat_fields "$output"
	assert_eq "$SID" "$PID" "the session is the command's"
}

@test "--setsid: a signal sent to nsu still reaches the command" {
	term_reaches_trap --setsid
}

@test "--setsid in a joined session: the command leads a session of its own" {
	sess nsu-one --session j -- true
	run --separate-stderr sess nsu-one --session j --setsid -- "${STAT[@]}"
	assert_status 0
	stat_fields "$output"
	assert_eq "$SID" "$PID" "the session is the command's"
	assert_eq "$TTY" 0 "no controlling terminal"
}

# --- --new-pgrp --------------------------------------------------------------------

@test "--new-pgrp: the command leads its own process group on every path" {
	local args
	sess nsu-one --session plain -- true
	sess nsu-one --session pidns --pid -- true
	for args in "nsu_as nsu-one" "nsu_as nsu-one --pid" "sess nsu-one --session plain" \
		"sess nsu-one --session pidns" "nsu_who root"; do
		run --separate-stderr $args --new-pgrp -- "${STAT[@]}"
		assert_status 0
		stat_fields "$output"
		assert_eq "$PGRP" "$PID" "$args --new-pgrp: the group is the command's"
	done
}

@test "--new-pgrp changes the group under --pid's init, in a joined session and for root" {
	local args
	sess nsu-one --session plain -- true
	for args in "nsu_as nsu-one --pid" "sess nsu-one --session plain" "nsu_who root"; do
		run --separate-stderr $args -- "${STAT[@]}"
		assert_status 0
		stat_fields "$output"
		[ "$PGRP" != "$PID" ] || flunk "$args: without --new-pgrp, the command leads a group"
	done
	# Under the init, the command is in the init's group (1 as a new /proc counts it).
	run --separate-stderr nsu_as nsu-one --pid --mount-proc -- sh -c 'ps -o pgid= -p $$'
	assert_status 0
	assert_match "$output" "^ *1\$" "the command's group under the init"
	run --separate-stderr nsu_as nsu-one --pid --mount-proc --new-pgrp -- sh -c 'ps -o pgid= -p $$'
	assert_status 0
	assert_match "$output" "^ *2\$" "with --new-pgrp"
}

@test "--new-pgrp with --pid: signals to nsu reach the command's group" {
	term_reaches_trap --pid --new-pgrp
}

# --- --rlimit ----------------------------------------------------------------------

# Not under valgrind: valgrind keeps the descriptor limit for itself: it refuses to change RLIMIT_NOFILE's hard limit and shows the program a lower one
# bats test_tags=no-valgrind
@test "--rlimit: soft and hard limits, soft alone, several limits" {
	local hard
	hard=$(as_user nsu-one sh -c 'ulimit -Hn')
	run --separate-stderr nsu_as nsu-one --rlimit nofile=100:200 -- sh -c 'ulimit -n; ulimit -Hn'
	assert_status 0
	assert_eq "$stderr" "" "stderr"
	assert_eq "$output" "$(printf '100\n200')" "nofile"
	run --separate-stderr nsu_as nsu-one --rlimit NOFILE=50 --rlimit core=0 --rlimit cpu=100:200 \
		-- sh -c 'ulimit -n; ulimit -Hn; ulimit -c; ulimit -t; ulimit -Ht'
	assert_status 0
	assert_eq "$output" "$(printf '%s\n' 50 "$hard" 0 100 200)" "nofile soft only, core, cpu"
	run --separate-stderr nsu_as nsu-one --rlimit nofile=:64 -- sh -c 'ulimit -n; ulimit -Hn'
	assert_eq "$output" "$(printf '64\n64')" "a lower hard limit takes the soft one down"
}

# Not under valgrind: valgrind keeps the descriptor limit for itself: it refuses to change RLIMIT_NOFILE's hard limit and shows the program a lower one
# bats test_tags=no-valgrind
@test "--rlimit under --pid's init and as root" {
	run --separate-stderr nsu_as nsu-one --pid --rlimit nofile=77:88 -- sh -c 'ulimit -n; ulimit -Hn'
	assert_status 0
	assert_eq "$output" "$(printf '77\n88')" "--pid"
	run --separate-stderr nsu_who root --rlimit nofile=66:99 -- sh -c 'ulimit -n; ulimit -Hn'
	assert_status 0
	assert_eq "$output" "$(printf '66\n99')" "root"
}

# Not under valgrind: valgrind keeps the descriptor limit for itself: it refuses to change RLIMIT_NOFILE's hard limit and shows the program a lower one
# bats test_tags=no-valgrind
@test "--rlimit: raising the hard limit is refused before anything runs (125)" {
	run --separate-stderr as_user nsu-one sh -c 'ulimit -n 1000 && exec "$0" --rlimit nofile=100:2000 -- touch ran' "$NSU"
	assert_status 125
	assert_eq "$stderr" "nsu: --rlimit nofile=100:2000: the hard limit of nofile is 1000 here, and only a process with CAP_SYS_RESOURCE outside every user namespace can raise it; ask for at most 1000, or have it raised before nsu runs (as root: prlimit --pid PID --nofile=:N, or limits.conf(5) at login)" "stderr"
	run --separate-stderr as_user nsu-one sh -c 'ulimit -n 1000 && exec "$0" --rlimit nofile=5000 -- touch ran' "$NSU"
	assert_status 125
	assert_eq "$stderr" "nsu: --rlimit nofile=5000: the soft limit 5000 would be above the hard limit 1000; ask for a soft limit of at most 1000 (ulimit -H shows the hard limits)" "stderr"
	[ ! -e ran ] || flunk "the command ran"
}

@test "--rlimit: limits other than descriptors, with --pid and in a joined session too" {
	sess nsu-one --session lim -- true
	for args in "nsu_as nsu-one" "nsu_as nsu-one --pid" "sess nsu-one --session lim"; do
		run --separate-stderr $args --rlimit core=0 --rlimit CPU=100:200 --rlimit fsize=1000000 \
			-- sh -c 'ulimit -c; ulimit -t; ulimit -Ht; ulimit -f'
		assert_status 0
		assert_eq "$output" "$(printf '%s\n' 0 100 200 1953)" "$args: core, cpu, fsize (in 512-byte blocks)"
	done
}

@test "--rlimit: bad names and values are refused (125)" {
	run --separate-stderr nsu_as nsu-one --rlimit nofiles=1 -- touch ran
	assert_status 125
	assert_match "$stderr" "^nsu: option '--rlimit': 'nofiles' is not a limit \\(one of: as, core, cpu, .*nofile, nproc, .*stack, as prlimit\\(1\\) names them\\)\$" "stderr"
	run --separate-stderr nsu_as nsu-one --rlimit nofile=99999999999999999999 -- touch ran
	assert_status 125
	assert_eq "$stderr" "nsu: option '--rlimit nofile=99999999999999999999': the value is not SOFT, SOFT:HARD, SOFT: or :HARD, each a number below 2^64-1 or 'unlimited'" "stderr"
	run --separate-stderr nsu_as nsu-one --rlimit nofile=20:10 -- touch ran
	assert_status 125
	assert_match "$stderr" "^nsu: option '--rlimit nofile=20:10': the soft limit is above the hard limit" "stderr"
	[ ! -e ran ] || flunk "the command ran"
}

# Not under valgrind: valgrind keeps the descriptor limit for itself: it refuses to change RLIMIT_NOFILE's hard limit and shows the program a lower one
# bats test_tags=no-valgrind
@test "--rlimit in a joined session: each call its own limits" {
	sess nsu-one --session lim -- true
	run --separate-stderr sess nsu-one --session lim --rlimit nofile=64:128 -- sh -c 'ulimit -n; ulimit -Hn'
	assert_status 0
	assert_eq "$output" "$(printf '64\n128')" "the joined call's limits"
	run --separate-stderr sess nsu-one --session lim -- sh -c 'ulimit -Hn'
	assert_eq "$output" "$(as_user nsu-one sh -c 'ulimit -Hn')" "the next call's hard limit"
}

# --- --mask-path -------------------------------------------------------------------

# secrets: a file and a directory with something in them, owned by nsu-one.
secrets() {
	echo secret >secret.txt
	mkdir -p dir
	echo inside >dir/file
	chown -R nsu-one:nsu-one secret.txt dir
}

@test "--mask-path: a file reads empty, a directory lists empty, nothing can be written" {
	secrets
	run --separate-stderr nsu_as nsu-one --mask-path "$T/secret.txt" --mask-path "$T/dir" \
		--mask-path "$T/missing" -- sh -c '
		cat secret.txt; echo "cat=$?"
		ls -A dir; echo "ls=$?"
		touch dir/new 2>&1; echo changed >secret.txt; rm secret.txt 2>/dev/null || echo "rm refused"
		test -e missing || echo "missing is still missing"'
	assert_status 0
	assert_eq "$stderr" "" "stderr"
	assert_eq "$output" "$(printf '%s\n' "cat=0" "ls=0" \
		"touch: cannot touch 'dir/new': Read-only file system" "rm refused" \
		"missing is still missing")" "output"
	assert_eq "$(cat secret.txt)" secret "the masked file, outside"
	assert_eq "$(ls -A dir)" file "the masked directory, outside"
}

@test "--mask-path in command-line order with --bind and --tmpfs, and in a --rootfs" {
	secrets
	mkdir -p other && echo other >other/o && chown -R nsu-one:nsu-one other
	run --separate-stderr nsu_as nsu-one --mask-path "$T/dir" --bind "$T/other" "$T/dir" -- ls -A dir
	assert_eq "$output" o "a bind after the mask"
	run --separate-stderr nsu_as nsu-one --bind "$T/other" "$T/dir" --mask-path "$T/dir" -- ls -A dir
	assert_eq "$output" "" "a mask after the bind"
	run --separate-stderr nsu_as nsu-one --tmpfs "$T/dir" --mask-path "$T/dir/file" -- ls -A dir
	assert_eq "$output" "" "a mask of a path the tmpfs hid: skipped"
	make_rootfs rootfs
	mkdir -p rootfs/etc && echo inside-root >rootfs/etc/secret && chown -R nsu-one:nsu-one rootfs/etc
	run --separate-stderr nsu_as nsu-one --rootfs rootfs --mask-path /etc/secret --mask-path /bin/nope \
		-- sh -c 'cat /etc/secret; echo "rc=$?"'
	assert_status 0
	assert_eq "$output" "rc=0" "the path inside the new root"
}

@test "--mask-path is part of a session's shape" {
	secrets
	sess nsu-one --session m --mask-path "$T/secret.txt" -- true
	run --separate-stderr sess nsu-one --session m -- cat secret.txt
	assert_status 0
	assert_eq "$output" "" "the joined call sees the mask"
	run --separate-stderr sess nsu-one --session m --mask-path "$T/dir" -- true
	assert_status 125
	assert_match "$stderr" "^nsu: session m was made with '--mask-path $T/secret.txt' and this call asks for '--mask-path $T/dir'" "stderr"
}

# --- --ro-path ---------------------------------------------------------------------

@test "--ro-path: writing below it fails with EROFS, submounts included; outside it is writable" {
	secrets
	run --separate-stderr nsu_as nsu-one --tmpfs "$T/dir/sub" --ro-path "$T/dir" --ro-path "$T/secret.txt" -- sh -c '
		(echo x >dir/file) 2>&1; touch dir/new 2>&1; touch dir/sub/new 2>&1
		(echo more >>secret.txt) 2>&1; touch elsewhere && echo "elsewhere ok"'
	assert_status 0
	assert_match "${lines[0]}" "dir/file: Read-only file system$" "writing a file below it"
	assert_eq "${lines[1]}" "touch: cannot touch 'dir/new': Read-only file system" "creating a file"
	assert_eq "${lines[2]}" "touch: cannot touch 'dir/sub/new': Read-only file system" "in a submount"
	assert_match "${lines[3]}" "secret.txt: Read-only file system$" "the file made read-only"
	assert_eq "${lines[4]}" "elsewhere ok" "outside it"
	assert_eq "$(cat dir/file)" inside "the file outside"
	touch dir/new-outside || flunk "the directory is read-only outside"
}

@test "--ro-path of a missing path: 125 naming the option" {
	run --separate-stderr nsu_as nsu-one --ro-path "$T/missing" -- touch ran
	assert_status 125
	assert_eq "$stderr" "nsu: --ro-path $T/missing: $T/missing does not exist: there is nothing to make read-only (create it first, or leave the option out)" "stderr"
	[ ! -e ran ] || flunk "the command ran"
	run --separate-stderr nsu_as nsu-one --ro-path relative -- touch ran
	assert_status 125
	assert_eq "$stderr" "nsu: option '--ro-path': PATH 'relative' must be an absolute path (where to mount)" "stderr"
}
