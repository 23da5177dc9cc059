#!/usr/bin/env bats
# Failures: 127 command not found, 126 cannot execute, 125 nsu's own
# failures; options; refusing to run setuid; variables that must not
# change what nsu does.

load helpers

@test "an unknown command: 127 and 'command not found'" {
	run -127 --separate-stderr nsu_as nsu-one -- no-such-cmd
	assert_status 127
	assert_eq "$stderr" "nsu: no-such-cmd: command not found" "stderr"
	assert_eq "$output" "" "stdout"
}

@test "a missing path: 127" {
	run -127 --separate-stderr nsu_as nsu-one -- ./no-such
	assert_status 127
	assert_match "$stderr" "^nsu: \\./no-such: " "stderr"
	assert_eq "$(wc -l <<<"$stderr")" 1 "number of stderr lines"
}

@test "a file without execute permission: 126" {
	printf '#!/bin/sh\necho ran\n' >plain
	chmod 0644 plain
	run -126 --separate-stderr nsu_as nsu-one -- ./plain
	assert_status 126
	assert_match "$stderr" "^nsu: \\./plain: " "stderr"
	assert_eq "$output" "" "stdout"
}

@test "a directory: 126" {
	mkdir dir
	run -126 --separate-stderr nsu_as nsu-one -- ./dir
	assert_status 126
	assert_match "$stderr" "^nsu: \\./dir: " "stderr"
	run -126 --separate-stderr nsu_as nsu-one -- "$T/dir"
	assert_status 126
}

@test "a command that is not found with a single-ID map: 127 too" {
	run -127 --separate-stderr nsu_as nsu-none -q -- no-such-cmd
	assert_status 127
	assert_eq "$stderr" "nsu: no-such-cmd: command not found" "stderr"
}

@test "an unknown option: 125, a message naming it, and nothing runs" {
	run --separate-stderr nsu_as nsu-one --bogus -- touch "$T/ran"
	assert_status 125
	assert_match "$stderr" "^nsu: .*--bogus" "stderr"
	[ ! -e ran ] || flunk "the command ran"

	run --separate-stderr nsu_as nsu-one -x touch "$T/ran"
	assert_status 125
	assert_match "$stderr" "^nsu: .*-x" "stderr"
	[ ! -e ran ] || flunk "the command ran"
}

@test "--help: 0 and the usage on stdout" {
	run --separate-stderr nsu_as nsu-one --help
	assert_status 0
	assert_match "$output" "Usage" "stdout"
	assert_eq "$stderr" "" "stderr"
	run --separate-stderr nsu_as nsu-one -h
	assert_status 0
	assert_match "$output" "Usage" "stdout"
}

@test "--version: 0 and 'nsu VERSION'" {
	run --separate-stderr nsu_as nsu-one --version
	assert_status 0
	assert_match "$output" "^nsu [0-9][^[:space:]]*$" "stdout"
	assert_eq "$stderr" "" "stderr"
}

# Not under valgrind: the kernel honours no setuid, setgid or file capability of a program that valgrind runs (and a copy of $NSU is the script that starts valgrind)
# bats test_tags=no-valgrind
@test "nsu installed setuid root refuses to run: 125 and a message" {
	install -m 4755 -o root -g root "$NSU" nsu-suid
	run --separate-stderr as_user nsu-one "$T/nsu-suid" -- touch "$T/ran"
	assert_status 125
	assert_match "$stderr" "^nsu: .*setuid" "stderr"
	[ ! -e ran ] || flunk "the command ran"
}

# Not under valgrind: the kernel honours no setuid, setgid or file capability of a program that valgrind runs (and a copy of $NSU is the script that starts valgrind)
# bats test_tags=no-valgrind
@test "nsu installed setgid root refuses to run: 125 and a message" {
	install -m 2755 -o root -g root "$NSU" nsu-sgid
	run --separate-stderr as_user nsu-one "$T/nsu-sgid" -- touch "$T/ran"
	assert_status 125
	assert_match "$stderr" "^nsu: .*setgid" "stderr"
	[ ! -e ran ] || flunk "the command ran"
}

@test "_CONTAINERS_USERNS_CONFIGURED=done from the caller does not skip the namespace" {
	run --separate-stderr as_user nsu-one env _CONTAINERS_USERNS_CONFIGURED=done \
		"$NSU" -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "uid 1 100000 65536" \
		"gid 0 61001 1" "gid 1 100000 65536" "setgroups allow")" "maps"
}

@test "a forged _NSU_INNER_STAGE that does not parse is ignored" {
	local v
	for v in garbage "" "1,2" "-1,-2,-3" "3,4,1"; do
		run --separate-stderr as_user nsu-one env _NSU_INNER_STAGE="$v" "$NSU" -- "${MAPS[@]}"
		assert_status 0
		assert_eq "$output" "$(maps_lines "uid 0 61001 1" "uid 1 100000 65536" \
			"gid 0 61001 1" "gid 1 100000 65536" "setgroups allow")" "maps with _NSU_INNER_STAGE='$v'"
		assert_eq "$stderr" "" "stderr with _NSU_INNER_STAGE='$v'"
	done
}

# forged_marker USER CMD...: run nsu CMD... as USER with an _NSU_INNER_STAGE
# that names its real parent and two pipes (its stdin and stdout), as anyone
# can write it; stdout to out, stderr to err, the exit status to rc.
forged_marker() {
	local user=$1
	shift
	as_user "$user" bash -c '
		echo x | _NSU_INNER_STAGE=0,1,$$ "$NSU" "$@" 2>err | cat >out
		echo "${PIPESTATUS[1]}" >rc' - "$@"
}

# assert_clear_125_or RC OUT: exit status 125 with a message and no output,
# or else exit status RC and stdout OUT.
assert_clear_125_or() {
	if [ "$(cat rc)" = 125 ]; then
		assert_match "$(cat err)" "^nsu: " "stderr with exit status 125"
		assert_eq "$(od -An -c out)" "" "stdout with exit status 125"
	else
		assert_eq "$(cat rc)" "$1" "exit status (stdout: $(od -An -c out | head -2))"
		assert_eq "$(cat out)" "$2" "stdout"
	fi
}

@test "a forged _NSU_INNER_STAGE naming real pipes and parent: still the namespace, or a clear 125" {
	forged_marker nsu-one -- "${MAPS[@]}"
	assert_clear_125_or 0 "$(maps_lines "uid 0 61001 1" "uid 1 100000 65536" \
		"gid 0 61001 1" "gid 1 100000 65536" "setgroups allow")"
}

@test "a forged _NSU_INNER_STAGE as root: the command runs, or a clear 125" {
	forged_marker root -- id -u
	assert_clear_125_or 0 0
}

@test "a forged _NSU_INNER_STAGE as root: never without a private mount namespace" {
	forged_marker root sh -c 'readlink /proc/self/ns/mnt >&2'
	if [ "$(cat rc)" != 125 ]; then
		assert_no_match "$(cat err)" "^$(readlink /proc/self/ns/mnt | sed 's/[][]/\\&/g')\$" \
			"mount namespace of the command"
	fi
}

# Not under valgrind: valgrind ends the process when an execve() it let through fails ("EXEC FAILED")
# bats test_tags=no-valgrind
@test "a script whose #! interpreter is missing: 127 naming the interpreter" {
	printf '#!/nonexistent/python9\nprint("hi")\n' >nsu-py-script
	chmod 0755 nsu-py-script
	run -127 --separate-stderr nsu_as nsu-one -- ./nsu-py-script
	assert_status 127
	assert_eq "$stderr" "nsu: ./nsu-py-script: bad interpreter /nonexistent/python9: No such file or directory (the program named on its #! line does not exist)" "stderr"
	# Found through PATH, the same.
	run -127 --separate-stderr nsu_as nsu-one --setenv PATH "$T:/usr/bin:/bin" -- nsu-py-script
	assert_status 127
	assert_eq "$stderr" "nsu: nsu-py-script: bad interpreter /nonexistent/python9: No such file or directory (the program named on its #! line does not exist)" "stderr"
}

# Not under valgrind: valgrind ends the process when an execve() it let through fails ("EXEC FAILED")
# bats test_tags=no-valgrind
@test "a binary whose program interpreter is missing: 127 naming it" {
	need python3
	# A copy of true whose PT_INTERP names a loader that does not exist.
	python3 - "$(type -P true)" badelf <<'PY'
import sys
data = bytearray(open(sys.argv[1], 'rb').read())
for loader in (b'/lib64/ld-linux-x86-64.so.2', b'/lib/ld-linux-aarch64.so.1', b'/lib/ld-linux.so.2'):
    i = data.find(loader + b'\0')
    if i >= 0:
        data[i:i + len(loader)] = b'/nonexistent/ld.so'.ljust(len(loader), b'\0')
        break
else:
    sys.exit('no known loader in ' + sys.argv[1])
open(sys.argv[2], 'wb').write(data)
PY
	chmod 0755 badelf
	run -127 --separate-stderr nsu_as nsu-one -- ./badelf
	assert_status 127
	assert_eq "$stderr" "nsu: ./badelf: its program interpreter /nonexistent/ld.so does not exist (a binary for another C library or architecture?)" "stderr"
}

# Not under valgrind: valgrind ends the process when an execve() it let through fails ("EXEC FAILED")
# bats test_tags=no-valgrind
@test "an environment too large to pass on: 126 naming the command, not /proc" {
	local n
	# The longest argument nsu itself can be given: as NAME=VALUE in the
	# command's environment, it is two bytes over the kernel's limit.
	n=$((32 * $(getconf PAGESIZE) - 2))
	run -126 --separate-stderr nsu_as nsu-one --setenv A "$(head -c "$n" /dev/zero | tr '\0' a)" -- true
	assert_status 126
	assert_eq "$stderr" "nsu: true: Argument list too long (the arguments and environment, with the few nsu adds to run it, exceed the kernel's limit)" "stderr"
}

# Not under valgrind: valgrind needs descriptors of its own to start
# bats test_tags=no-valgrind
@test "out of file descriptors: 125 saying so, not a user namespace failure" {
	# Only 0-2 open and room for two more: the signalfd, then not a pipe.
	run --separate-stderr as_user nsu-one bash -c '
		for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
		ulimit -n 5
		exec "$0" -- true' "$NSU"
	assert_status 125
	assert_eq "$stderr" "nsu: cannot create a pipe: Too many open files (raise the limit, ulimit -n, or close some of the descriptors nsu is given)" "stderr"
}

@test "--print-mappings when the uid map cannot be planned: 125 and a message, no crash" {
	run --separate-stderr nsu_as nsu-one --uidmap 0:1:1 --print-mappings
	assert_status 125
	assert_eq "$stderr" "nsu: --uidmap: outside ids 1-1 (of 0:1:1) are neither your own id nor in your subordinate ranges (your uid is 61001)" "stderr"
}
