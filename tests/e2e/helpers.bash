# shellcheck shell=bash
# Helpers shared by nsu's end-to-end tests (load helpers).
#
# The tests run as root inside the fixture of tests/lib/fixture.bash, set up
# by tests/e2e/run-bats, which exports NSU (nsu, installed where the test
# users can run it) and NSU_FIXTURE_DIR. Each test gets $T, a fresh
# directory owned by nsu-one that every test user can write to.

bats_require_minimum_version 1.5.0

if [ -z "${NSU:-}" ] || [ -z "${NSU_FIXTURE_DIR:-}" ]; then
	echo "NSU and NSU_FIXTURE_DIR are not set: run this file through tests/e2e/run-bats" >&2
	exit 1
fi

NSU_FIXTURE_LIB=$BATS_TEST_DIRNAME/../lib/fixture.bash
if [ -n "${NSU_SRCDIR:-}" ] && [ -r "$NSU_SRCDIR/tests/lib/fixture.bash" ]; then
	NSU_FIXTURE_LIB=$NSU_SRCDIR/tests/lib/fixture.bash
fi
# shellcheck source=../lib/fixture.bash
. "$NSU_FIXTURE_LIB"

# --- failing and skipping ---------------------------------------------------

# flunk MESSAGE...: fail the current test with MESSAGE.
flunk() {
	printf '%s\n' "$@" >&2
	return 1
}

# need CMD...: skip the test when a tool is missing; under CI=true, where
# every tool is installed on purpose, a missing tool fails the test instead.
need() {
	local cmd
	for cmd in "$@"; do
		command -v "$cmd" >/dev/null 2>&1 && continue
		if [ "${CI:-}" = true ]; then
			flunk "$cmd is not installed (CI=true: a missing tool fails the test)"
			return 1
		fi
		skip "$cmd is not installed"
	done
}

# --- assertions (each prints what differs) -----------------------------------

# assert_eq ACTUAL EXPECTED [WHAT]
assert_eq() {
	[ "$1" = "$2" ] && return 0
	flunk "${3:-value} differs" "expected: $(printf '%q' "$2")" "actual:   $(printf '%q' "$1")"
}

# assert_match ACTUAL ERE [WHAT]
assert_match() {
	[[ $1 =~ $2 ]] && return 0
	flunk "${3:-value} does not match /$2/" "actual: $(printf '%q' "$1")"
}

# assert_no_match ACTUAL ERE [WHAT]
assert_no_match() {
	[[ $1 =~ $2 ]] || return 0
	flunk "${3:-value} unexpectedly matches /$2/" "actual: $(printf '%q' "$1")"
}

# assert_has_line TEXT LINE [WHAT]: LINE is one of the lines of TEXT.
assert_has_line() {
	local l
	while IFS= read -r l; do
		[ "$l" = "$2" ] && return 0
	done <<<"$1"
	flunk "${3:-text} has no line $(printf '%q' "$2")" "actual: $(printf '%q' "$1")"
}

# assert_line_match TEXT ERE [WHAT]: some line of TEXT matches ERE.
assert_line_match() {
	local l
	while IFS= read -r l; do
		[[ $l =~ $2 ]] && return 0
	done <<<"$1"
	flunk "${3:-text} has no line matching /$2/" "actual: $(printf '%q' "$1")"
}

# assert_status N: $status of the last run is N.
assert_status() {
	[ "$status" = "$1" ] && return 0
	flunk "exit status $status, expected $1" \
		"stdout: $(printf '%q' "$output")" "stderr: $(printf '%q' "${stderr:-}")"
}

# --- running nsu ---------------------------------------------------------------

# split_vars VAR=VALUE... -- ARG...: VARS gets the VAR=VALUEs, ARGS the words
# after "--".
split_vars() {
	VARS=()
	while [ "$1" != -- ]; do
		VARS+=("$1")
		shift
	done
	shift
	ARGS=("$@")
}

# nsu_as USER ARG...: run nsu as USER.
nsu_as() {
	local user=$1
	shift
	as_user "$user" "$NSU" "$@"
}

# nsu_who WHO ARG...: run nsu as WHO (a test user, or root as it is), quietly
# (no fallback warning for nsu-none).
nsu_who() {
	local who=$1
	shift
	if [ "$who" = root ]; then
		"$NSU" -q "$@"
	else
		as_user "$who" "$NSU" -q "$@"
	fi
}

# session_dirs: the runtime directory of each test user, $T/run-USER (and
# $T/run-root), where sess keeps its sessions; teardown's removal of $T
# ends every holder a test left (they watch it).
session_dirs() {
	local u
	for u in nsu-one nsu-two nsu-none; do
		install -d -m 0700 -o "$u" -g "$(id -g "$u")" "$T/run-$u"
	done
	install -d -m 0700 "$T/run-root"
}

# sess USER ARG...: nsu ARG... as USER (root: as it is), with its runtime
# directory (made by session_dirs).
sess() {
	local user=$1
	shift
	if [ "$user" = root ]; then
		XDG_RUNTIME_DIR=$T/run-root "$NSU" "$@"
	else
		as_user "$user" env XDG_RUNTIME_DIR="$T/run-$user" "$NSU" "$@"
	fi
}

# make_rootfs DIR: a busybox root, as the README makes it, owned by nsu-one.
make_rootfs() {
	need busybox
	local a
	mkdir -p "$1/bin"
	cp "$(command -v busybox)" "$1/bin/"
	for a in sh id ps ls mount cat touch hostname echo test; do
		ln -s busybox "$1/bin/$a"
	done
	chown -R nsu-one:nsu-one "$1"
}

# MAPS: a command that prints the id maps and setgroups of the process, one
# map line per line with single spaces ("uid 0 61001 1", "gid ...", and
# "setgroups allow").
MAPS=(sh -c 'for m in uid gid; do
	while read -r a b c; do echo "$m $a $b $c"; done </proc/self/${m}_map; done
	echo "setgroups $(cat /proc/self/setgroups)"')

# maps_lines LINE...: the MAPS output for these lines.
maps_lines() {
	printf '%s\n' "$@"
}

# with_binds "SRC:DST..." USER CMD...: run CMD as USER in a mount namespace
# of its own where each DST is replaced by a bind mount of SRC (to break the
# uid map helpers, say). Nothing outside that namespace sees the mounts.
with_binds() {
	local binds=$1
	shift
	unshare --mount --propagation private -- bash -c '
		binds=$1 lib=$2
		shift 2
		for b in $binds; do
			mount --bind "${b%%:*}" "${b#*:}" || exit 125
		done
		. "$lib"
		as_user "$@"' with-binds "$binds" "$NSU_FIXTURE_LIB" "$@"
}

# --- processes started in the background ---------------------------------------

BG_PIDFILES=()

# bg_as USER PIDFILE CMD...: start CMD as USER in the background, with bats's
# fd 3 closed (or bats would wait for it), stdin from /dev/null and stdout
# and stderr to PIDFILE.out and PIDFILE.err. PIDFILE receives the pid of
# CMD itself; teardown kills whatever is left of it.
bg_as() {
	local user=$1 pidfile=$2
	shift 2
	BG_PIDFILES+=("$pidfile")
	as_user "$user" /bin/sh -c 'echo $$ >"$0.tmp" && mv "$0.tmp" "$0" && exec "$@"' \
		"$pidfile" "$@" </dev/null >"$pidfile.out" 2>"$pidfile.err" 3>&- &
	BG_JOB=$!
	wait_for 5 test -s "$pidfile"
	BG_PID=$(cat "$pidfile")
}

# track_pidfile PIDFILE: teardown kills the process whose pid PIDFILE holds
# (a command started inside nsu, say), if it is still there.
track_pidfile() {
	BG_PIDFILES+=("$1")
}

# bg_wait SECONDS: wait for the job of the last bg_as to end; its exit status
# goes to $status (128+N if killed by signal N).
bg_wait() {
	local limit=$1
	wait_for "$limit" gone "$BG_PID" || return 1
	status=0
	wait "$BG_JOB" || status=$?
}

# gone PID: the process has ended (no such process, or a zombie).
gone() {
	local stat state
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	state=${stat##*) }
	state=${state%% *}
	[ "$state" = Z ] || [ "$state" = X ]
}

# wait_for SECONDS CMD...: run CMD every 0.05 s until it succeeds; fail after
# SECONDS (times NSU_TEST_SLOWDOWN, which the memcheck mode sets).
wait_for() {
	local limit=$(($1 * ${NSU_TEST_SLOWDOWN:-1})) i=0
	shift
	until "$@"; do
		if ((++i > limit * 20)); then
			flunk "timed out after ${limit}s waiting for: $*"
			return 1
		fi
		sleep 0.05
	done
}

# lines_in FILE N: FILE has at least N lines.
lines_in() {
	[ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]
}

# --- per-test directory ------------------------------------------------------------

# fixture_etc: true when /etc holds the fixture's private copies, on the
# fixture's tmpfs: /etc itself, or (config.bats covers /etc with a tmpfs of
# its own when the system file is /etc/nsu.conf, and binds the fixture's
# files back in) /etc/passwd. The tests write /etc freely; should the
# fixture's mounts be gone (a run killed half-way), a write would land on
# the host's files instead.
fixture_etc() {
	local fixture path
	[ -n "${NSU_FIXTURE_DIR:-}" ] || return 1
	fixture=$(stat -c %d "$NSU_FIXTURE_DIR" 2>/dev/null) || return 1
	[ "$fixture" != "$(stat -c %d / 2>/dev/null)" ] || return 1
	for path in /etc /etc/passwd; do
		[ "$(stat -c %d "$path" 2>/dev/null)" = "$fixture" ] && return 0
	done
	return 1
}

# save_etc FILE...: /etc/FILE is put back as it is now after the test.
save_etc() {
	local f
	fixture_etc || { flunk "save_etc: /etc is not the fixture's copy"; return 1; }
	for f in "$@"; do
		cp -a "/etc/$f" "$T/etc-saved.$f" || return 1
		ETC_SAVED+=("$f")
	done
}

setup() {
	ETC_SAVED=()
	fixture_etc || { flunk "/etc is not the fixture's private copy: not running"; return 1; }
	T=$(mktemp -d "$NSU_FIXTURE_DIR/tmp/test.XXXXXX")
	chown nsu-one:nsu-one "$T"
	chmod 0777 "$T"
	cd "$T" || return 1
	if declare -F test_setup >/dev/null; then
		test_setup
	fi
}

teardown() {
	local f pid
	if ! fixture_etc; then
		# Never write the host's /etc: leave everything as it is.
		echo "teardown: /etc is not the fixture's copy; nothing restored" >&2
	else
		if declare -F test_teardown >/dev/null; then
			test_teardown || true
		fi
		for f in "${ETC_SAVED[@]}"; do
			rm -rf "/etc/$f"
			cp -a "$T/etc-saved.$f" "/etc/$f"
		done
	fi
	for f in "${BG_PIDFILES[@]}"; do
		pid=$(cat "$f" 2>/dev/null) || continue
		gone "$pid" || kill -KILL "$pid" 2>/dev/null || true
	done
	cd / || true
	rm -rf "$T"
}

# --- processes ----------------------------------------------------------------

# state PID: the process state letter (R, S, T...), or "gone".
state() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo gone; return 0; }
	stat=${stat##*) }
	echo "${stat%% *}"
}

# session_of PID: the session the process is in (field 6 of its stat).
session_of() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	read -r _ _ _ sid _ <<<"$stat"
	echo "$sid"
}

state_is() {
	[ "$(state "$1")" = "$2" ]
}

state_is_not() {
	[ "$(state "$1")" != "$2" ]
}

# --- signals to a command --------------------------------------------------------

# write_traps: write traps.sh LOG, a script that appends the name of each
# TERM, HUP, INT, USR1, USR2 and WINCH it gets to LOG, writes LOG.ready once
# its traps are set and ends once LOG.stop exists.
write_traps() {
	cat >traps.sh <<'SCRIPT'
log=$1
for s in TERM HUP INT USR1 USR2 WINCH; do
	trap "echo $s >>'$log'" "$s"
done
echo $$ >"$log.ready"
while [ ! -e "$log.stop" ]; do
	sleep 0.05 &
	wait $!
done
SCRIPT
}

# signal_each_once: send each of those signals in turn to $BG_PID (nsu
# running traps.sh $T/sig) and check that the command got each exactly once.
signal_each_once() {
	wait_for 5 test -s sig.ready
	local n=0 s expected=()
	for s in TERM HUP INT USR1 USR2 WINCH; do
		kill -s "$s" "$BG_PID"
		n=$((n + 1))
		expected+=("$s")
		wait_for 5 lines_in sig "$n"
	done
	sleep 0.2
	assert_eq "$(cat sig)" "$(printf '%s\n' "${expected[@]}")" "signals received"
}

# signals_pass_once [VAR=VALUE...] -- [NSU-ARG...]: as nsu-one, nsu (with
# NSU-ARGs, in an environment with VAR=VALUEs) runs traps.sh; each signal of
# signal_each_once reaches the command exactly once, and nsu exits 0.
signals_pass_once() {
	split_vars "$@"
	write_traps
	# A background job of a non-interactive shell ignores INT; an
	# interactive caller would not: reset it.
	bg_as nsu-one nsu.pid env --default-signal=INT,QUIT ${VARS[@]+"${VARS[@]}"} "$NSU" \
		${ARGS[@]+"${ARGS[@]}"} -- bash traps.sh "$T/sig"
	signal_each_once
	touch sig.stop
	bg_wait 5
	assert_eq "$status" 0 "exit status"
}

# start_counter [own-pgrp] [NSU-ARG...]: nsu (with NSU-ARGs) running a
# command that appends the name of each USR1/USR2/HUP it gets to $T/sig (and
# a line per child's signal to $T/sig.child, from a child in its process
# group), until $T/sig.stop exists. NSU_PID is nsu's pid; $T/sig.childpid
# holds the child's pid as this /proc shows it (also with --pid).
start_counter() {
	cat >count.sh <<'SCRIPT'
log=$1
for s in USR1 USR2 HUP; do trap "echo $s >>'$log'" "$s"; done
sh -c 'trap "echo USR1 >>\"$0.child\"" USR1; read -r p _ </proc/self/stat; echo "$p" >"$0.childpid"; while [ ! -e "$0.stop" ]; do sleep 0.05; done' "$log" &
echo $$ >"$log.ready"
while [ ! -e "$log.stop" ]; do sleep 0.05 & wait $!; done
wait
SCRIPT
	local wrap=(env --default-signal=INT,QUIT)
	[ "${1:-}" = own-pgrp ] && wrap+=(perl -e 'setpgrp(0, 0); exec @ARGV or die "exec: $!"')
	shift $(($# > 0))
	bg_as nsu-one nsu.pid "${wrap[@]}" "$NSU" "$@" -- bash count.sh "$T/sig"
	NSU_PID=$BG_PID
	track_pidfile "$T/sig.childpid"
	wait_for 5 test -s sig.ready
	wait_for 5 test -s sig.childpid
}
