#!/usr/bin/env bats
# libnsu: installed (make install into a staging directory), programs built
# against it through pkg-config become root with one call (nsu_reexec()) or
# run a command in a namespace (nsu_run_child()); the library exports its
# interface and nothing else.

load helpers

# The build tree, a staging install of the library, and how to compile
# against it: the build's own LDFLAGS (a sanitizer build needs its runtime).
setup_file() {
	local build
	build=$(cd "$(dirname "$NSU_BUILD_BIN")/.." && pwd) || return 1
	LIB_STAGE=$NSU_FIXTURE_DIR/libnsu-stage
	export LIB_BUILD=$build LIB_STAGE
	rm -rf "$LIB_STAGE"
	make -C "$build" -s install-libLTLIBRARIES install-includeHEADERS install-pkgconfigDATA \
		DESTDIR="$LIB_STAGE" >"$NSU_FIXTURE_DIR/libnsu-install.log" 2>&1 || {
		cat "$NSU_FIXTURE_DIR/libnsu-install.log" >&2
		return 1
	}
	chmod -R a+rX "$LIB_STAGE"
	LIB_PC=$(find "$LIB_STAGE" -name nsu.pc -path '*/pkgconfig/*' | head -n 1)
	LIB_LDFLAGS=$(sed -n 's/^LDFLAGS = //p' "$build/Makefile")
	export LIB_PC LIB_LDFLAGS
}

teardown_file() {
	rm -rf "$LIB_STAGE"
}

# pc ARG...: pkg-config for the staged nsu.pc.
pc() {
	PKG_CONFIG_SYSROOT_DIR=$LIB_STAGE PKG_CONFIG_PATH=$(dirname "$LIB_PC") pkg-config "$@"
}

# libdir: the staged library directory, as nsu.pc names it.
libdir() {
	local dir
	dir=$(pc --libs-only-L nsu)
	dir=${dir#-L}
	echo "${dir%% *}"
}

# build OUT SOURCE: compile SOURCE against the staged library, as its users
# do: cc SOURCE $(pkg-config --cflags --libs nsu). The rpath stands in for
# the library directory of a real installation.
build() {
	# shellcheck disable=SC2046,SC2086
	cc -std=gnu11 -Wall -Wextra -Werror -o "$1" "$2" $(pc --cflags --libs nsu) \
		-Wl,-rpath,"$(libdir)" $LIB_LDFLAGS || return 1
	chmod 0755 "$1"
}

# owner FILE: uid:gid of FILE, from outside.
owner() {
	stat -c %u:%g "$1"
}

@test "the library exports its interface only, under a versioned soname" {
	local so
	so=$(find "$LIB_STAGE" -name 'libnsu.so.*.*' | head -n 1)
	[ -n "$so" ] || flunk "no libnsu.so.X.Y installed"
	run --separate-stderr sh -c "nm -D --defined-only '$so' | awk '{ print \$3 }' | sort"
	assert_status 0
	assert_eq "$output" "$(printf '%s\n' NSU_1 nsu_opts_init@@NSU_1 nsu_reexec@@NSU_1 \
		nsu_run_child@@NSU_1 nsu_version@@NSU_1)" "the exported symbols"
	run objdump -p "$so"
	assert_line_match "$output" "^ +SONAME +libnsu\.so\.1$" "the soname"
	[ -L "$(dirname "$so")/libnsu.so" ] || flunk "no libnsu.so link for the linker"
	[ -f "$(dirname "$so")/libnsu.a" ] || flunk "no static libnsu.a"
	assert_eq "$(pc --modversion nsu)" "$("$NSU" --version | awk '{ print $2 }')" "nsu.pc's version"
}

@test "the example becomes root with one call and makes files owned by several ids" {
	build "$T/nsu-example" "$NSU_SRCDIR/examples/nsu-example.c"
	mkdir "$T/out" && chown nsu-one: "$T/out"
	run --separate-stderr as_user nsu-one "$T/nsu-example" "$T/out" 0 1 1000
	assert_status 0
	assert_eq "$stderr" "" "stderr"
	assert_eq "${lines[0]}" "root in a user namespace, uid 0" "the case"
	assert_eq "$(owner "$T/out/file-0")" 61001:61001 "file-0, outside"
	assert_eq "$(owner "$T/out/file-1")" 100000:100000 "file-1, outside"
	assert_eq "$(owner "$T/out/file-1000")" 100999:100999 "file-1000, outside"
}

@test "the example as root takes the already-privileged path and stays in its namespace" {
	build "$T/nsu-example" "$NSU_SRCDIR/examples/nsu-example.c"
	mkdir "$T/out"
	run --separate-stderr "$T/nsu-example" "$T/out" 0 7
	assert_status 0
	assert_eq "${lines[0]}" "already root (nothing to do), uid 0" "the case"
	assert_eq "$(owner "$T/out/file-7")" 7:7 "file-7: the real id 7"
}

@test "the example linked with the static libnsu.a works the same" {
	# shellcheck disable=SC2046,SC2086
	cc -std=gnu11 -Wall -Wextra -Werror -o "$T/nsu-example" "$NSU_SRCDIR/examples/nsu-example.c" \
		$(pc --cflags nsu) "$(libdir)/libnsu.a" $(pc --static --libs nsu | sed 's/-lnsu//') \
		$LIB_LDFLAGS
	chmod 0755 "$T/nsu-example"
	run objdump -p "$T/nsu-example"
	assert_no_match "$output" "libnsu" "a dependency on the shared libnsu"
	mkdir "$T/out" && chown nsu-one: "$T/out"
	run --separate-stderr as_user nsu-one "$T/nsu-example" "$T/out" 2
	assert_status 0
	assert_eq "$(owner "$T/out/file-2")" 100001:100001 "file-2, outside"
}

@test "nsu_reexec: the program ends as the re-executed one does; inside nsu it is already inside" {
	build "$T/rx" "$NSU_SRCDIR/tests/lib/libnsu-reexec.c"
	run --separate-stderr as_user nsu-one "$T/rx" -- sh -c 'cat /proc/self/uid_map; exit 7'
	assert_status 7
	assert_eq "${lines[0]}" "reexec inside" "the case"
	assert_eq "${lines[1]}" "comm rx" "the copy's name, not exe"
	assert_match "${lines[2]}" "^ +0 +61001 +1$" "uid map, own id"
	assert_match "${lines[3]}" "^ +1 +100000 +65536$" "uid map, the range"

	run --separate-stderr as_user nsu-one "$T/rx" -- sh -c 'kill -USR1 $$'
	assert_status $((128 + 10))

	# Already root in a user namespace (nsu's): no second one.
	run --separate-stderr as_user nsu-one "$NSU" -- "$T/rx" -- readlink /proc/self/ns/user
	assert_status 0
	assert_eq "${lines[0]}" "reexec inside" "the case under nsu"
	run --separate-stderr as_user nsu-one "$NSU" -- readlink /proc/self/ns/user
	[ "${lines[0]}" != "$(readlink /proc/self/ns/user)" ] || flunk "nsu made no namespace"
}

@test "nsu_reexec: NSU_EVEN_ROOT gives root a user namespace too, entered once" {
	build "$T/rx" "$NSU_SRCDIR/tests/lib/libnsu-reexec.c"
	run --separate-stderr "$T/rx" -e -s -- sh -c 'cat /proc/self/uid_map'
	assert_status 0
	assert_eq "${lines[0]}" "reexec inside" "the case"
	assert_match "${lines[2]}" "^ +0 +0 +1$" "root's single-ID map"
	# An explicit map asks for a namespace too, as with nsu.
	run --separate-stderr "$T/rx" -U 0:0:1 -- sh -c 'cat /proc/self/uid_map'
	assert_status 0
	assert_eq "${lines[0]}" "reexec inside" "the case with a map"
	assert_match "${lines[2]}" "^ +0 +0 +1$" "the map given"
}

@test "nsu_reexec: wrong options return an error and start nothing" {
	build "$T/rx" "$NSU_SRCDIR/tests/lib/libnsu-reexec.c"
	run --separate-stderr as_user nsu-one "$T/rx" -u 99999999999 -- true
	assert_status 125
	assert_match "${lines[0]}" "^error 125 22 nsu: struct nsu_opts: .*--user" "the error"
	# Root, which needs no namespace, is told all the same.
	run --separate-stderr "$T/rx" -u 99999999999 -- true
	assert_status 125
	assert_match "${lines[0]}" "^error 125 22 nsu: struct nsu_opts: .*--user" "the error as root"
}

@test "nsu_run_child: status, maps and the function in the child; the caller's state kept" {
	build "$T/drv" "$NSU_SRCDIR/tests/lib/libnsu-driver.c"
	run --separate-stderr as_user nsu-one "$T/drv" -c "$T/made:5" -- \
		sh -c 'cat /proc/self/uid_map; id -u; exit 3'
	assert_status 0
	assert_eq "$stderr" "" "stderr"
	assert_match "${lines[0]}" "^ +0 +61001 +1$" "uid map, own id"
	assert_match "${lines[1]}" "^ +1 +100000 +65536$" "uid map, the range"
	assert_eq "${lines[2]}" 0 "id -u"
	assert_eq "${lines[3]}" "status exited 3" "status"
	assert_eq "${lines[4]}" "mask same" "signal mask"
	assert_eq "${lines[5]}" "handler same" "SIGUSR1 handler"
	assert_eq "${lines[6]}" "fds same" "descriptors"
	assert_eq "$(owner "$T/made")" 100004:100004 "the function's file, outside"

	run --separate-stderr as_user nsu-one "$T/drv" -- sh -c 'kill -TERM $$'
	assert_eq "${lines[0]}" "status signaled 15" "a command killed by SIGTERM"

	# A caller that ignores SIGCHLD still gets the status, and keeps SIGCHLD ignored.
	run --separate-stderr as_user nsu-one "$T/drv" -i -- sh -c 'exit 4'
	assert_eq "${lines[0]}" "status exited 4" "status with SIGCHLD ignored"
	assert_eq "${lines[1]}" "mask same" "signal mask"
	assert_eq "${lines[4]}" "sigchld ignored" "SIGCHLD after the call"
}

@test "nsu_run_child: failures come back as errors with nsu's status, and nothing is printed" {
	build "$T/drv" "$NSU_SRCDIR/tests/lib/libnsu-driver.c"
	run --separate-stderr as_user nsu-one "$T/drv" -- no-such-command-here
	assert_eq "${lines[0]}" "error 127 2 nsu: no-such-command-here: command not found" "not found"
	assert_eq "${lines[1]}" "child exited 127" "the child's status"
	assert_eq "$stderr" "" "stderr"

	run --separate-stderr as_user nsu-one "$T/drv" -f 13 -- true
	assert_eq "${lines[0]}" "error 125 13 nsu: the function to run before true failed: Permission denied" \
		"the function failed"

	run --separate-stderr as_user nsu-one "$T/drv" -U 0:61001 -- true
	assert_match "${lines[0]}" "^error 125 22 nsu: struct nsu_opts: .*--uidmap" "a bad map"
	run --separate-stderr as_user nsu-one "$T/drv" -a oops -- true
	assert_eq "${lines[0]}" "error 125 22 nsu: struct nsu_opts: args holds 'oops', which is not an option of nsu" \
		"a word of args that is no option"
	run --separate-stderr as_user nsu-one "$T/drv" -a --pid -- true
	assert_match "${lines[0]}" "^error 125 22 nsu: --pid needs nsu's own init" "--pid"
	assert_eq "${lines[1]}" "mask same" "signal mask after a failure"
	# A pid namespace turned on by the user's nsu.conf is not this call's.
	printf '[namespaces]\npid = yes\n' >"$T/pid.conf"
	chown nsu-one: "$T/pid.conf"
	run --separate-stderr as_user nsu-one env NSU_CONFIG="$T/pid.conf" "$T/drv" -- readlink /proc/self/ns/pid
	assert_eq "${lines[0]}" "$(readlink /proc/self/ns/pid)" "the caller's pid namespace"
	assert_eq "${lines[1]}" "status exited 0" "status with a configured pid namespace"

	# No ranges: the fallback warning goes to log_fn, never to stderr.
	run --separate-stderr as_user nsu-none "$T/drv" -- cat /proc/self/uid_map
	assert_match "${lines[0]}" "^ +0 +61003 +1$" "nsu-none's single-ID map"
	assert_eq "$stderr" "" "stderr without log_fn"
	run --separate-stderr as_user nsu-none "$T/drv" -v -- true
	assert_match "$stderr" "log: nsu: warning: mapping only uid 61003" "the warning, through log_fn"
}

@test "nsu_run_child: signals the caller handles do not end the set-up; SA_NOCLDWAIT kept" {
	build "$T/drv" "$NSU_SRCDIR/tests/lib/libnsu-driver.c"
	# SIGALRM every 200 us, caught by the program: every call runs its command.
	run --separate-stderr as_user nsu-one "$T/drv" -t -n 30 -- true
	assert_eq "${lines[0]}" "repeat 30 of 30" "calls that ran the command"
	assert_eq "${lines[1]}" "status exited 0" "the last call"
	assert_eq "${lines[3]}" "handler same" "SIGUSR1 handler"
	# SIGCHLD with SA_NOCLDWAIT: the status still comes, and the flags stay.
	run --separate-stderr as_user nsu-one "$T/drv" -w -- sh -c 'exit 6'
	assert_eq "${lines[0]}" "status exited 6" "status with SA_NOCLDWAIT"
	assert_eq "${lines[4]}" "sigchld kept" "SIGCHLD's action after the call"
}

@test "nsu_run_child as root: a mount namespace, no user namespace" {
	build "$T/drv" "$NSU_SRCDIR/tests/lib/libnsu-driver.c"
	run --separate-stderr "$T/drv" -- sh -c 'cat /proc/self/uid_map; readlink /proc/self/ns/mnt'
	assert_match "${lines[0]}" "^ +0 +0 +4294967295$" "the uid map"
	[ "${lines[1]}" != "$(readlink /proc/self/ns/mnt)" ] || flunk "the caller's mount namespace"
	assert_eq "${lines[2]}" "status exited 0" "status"
}

@test "nsu_run_child: user, limits, masked and read-only paths, a new session" {
	build "$T/drv" "$NSU_SRCDIR/tests/lib/libnsu-driver.c"
	echo secret >"$T/secret"
	mkdir "$T/ro"
	chown -R nsu-one: "$T/secret" "$T/ro"
	run --separate-stderr as_user nsu-one "$T/drv" -u 1000:1001 -r NOFILE=100:200 \
		-m "$T/secret" -o "$T/ro" -S -c "$T/made:5" -- \
		sh -c 'id -u; id -g; ulimit -n; ulimit -Hn; cat "$0"; echo "sid $(ps -o sid= -p $$) pid $$"; touch "$1/x"' \
		"$T/secret" "$T/ro"
	assert_eq "${lines[0]}" 1000 "id -u"
	assert_eq "${lines[1]}" 1001 "id -g"
	assert_eq "${lines[2]}" 100 "the soft limit"
	assert_eq "${lines[3]}" 200 "the hard limit"
	assert_match "${lines[4]}" "^sid +([0-9]+) pid \\1$" "the command leads a session (masked file read nothing)"
	assert_eq "${lines[5]}" "status exited 1" "touch under the read-only path fails"
	assert_match "$stderr" "Read-only file system" "the error of touch"
	assert_eq "$(owner "$T/made")" 100004:100004 "the function ran as root, before the switch to --user"
	[ ! -e "$T/ro/x" ] || flunk "a file was made under the read-only path"

	run --separate-stderr as_user nsu-one "$T/drv" -r NOFILE=1:999999999 -- true
	assert_match "${lines[0]}" "^error 125 [0-9]+ nsu: .*--rlimit" "a hard limit above the caller's"
}

@test "nsu_reexec: a copy that runs as another user inside does not re-execute itself again" {
	build "$T/rx" "$NSU_SRCDIR/tests/lib/libnsu-reexec.c"
	run --separate-stderr as_user nsu-one "$T/rx" -u 1000 -- sh -c 'id -u; cat /proc/self/uid_map | wc -l'
	assert_status 0
	assert_eq "${lines[0]}" "reexec inside" "the case"
	assert_eq "${lines[2]}" 1000 "id -u"
	assert_eq "${lines[3]}" 2 "uid map lines: one namespace, made once"
	# The mark names the namespace nsu made: elsewhere it is no use.
	run --separate-stderr as_user nsu-one env NSU_REEXEC_USERNS=1:1 "$T/rx" -- id -u
	assert_eq "${lines[0]}" "reexec inside" "a forged mark"
	assert_eq "${lines[2]}" 0 "still root inside: re-executed as without the mark"
}
