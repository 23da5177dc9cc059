#!/usr/bin/env bats
# The command's filesystem: --bind, --ro-bind and --tmpfs in the order
# given, --rootfs (a busybox root entered with pivot_root, with /proc, /sys
# and /dev set up) and --ro-root. Each for a user with subordinate ranges
# (nsu-one), one without (nsu-none) and root.

load helpers

WHO=(nsu-one nsu-none root)

# mounted PATH: something is mounted on PATH in this (the test's) namespace.
mounted() {
	findmnt -n "$1" >/dev/null
}

test_setup() {
	mkdir -p src/sub dst
	echo hello >src/file
	echo inner >src/sub/deep
	chown -R nsu-one:nsu-one src dst
	chmod 0777 src
}

# --- binds and tmpfs -----------------------------------------------------------------

@test "--bind: the source is seen at DEST inside, nothing changes outside" {
	local who
	for who in "${WHO[@]}"; do
		run --separate-stderr nsu_who "$who" --bind "$T/src" "$T/dst" -- \
			sh -c 'cat dst/file dst/sub/deep; echo new >dst/written'
		assert_status 0
		assert_eq "$stderr" "" "$who: stderr"
		assert_eq "$output" "$(printf 'hello\ninner')" "$who: the bound files"
		assert_eq "$(cat src/written)" new "$who: written through the bind"
		[ -z "$(ls dst)" ] || flunk "$who: dst outside has $(ls dst)"
		mounted "$T/dst" && flunk "$who: dst is a mount outside"
		rm src/written
	done
}

@test "--bind: a missing DEST is made like SRC, a file or a directory, parents too" {
	local who
	for who in "${WHO[@]}"; do
		rm -rf new
		run --separate-stderr nsu_who "$who" --bind "$T/src/file" "$T/new/a/file" \
			--bind "$T/src/sub" "$T/new/b/dir" -- \
			sh -c 'cat new/a/file; test -f new/a/file && cat new/b/dir/deep && test -d new/b/dir'
		assert_status 0
		assert_eq "$output" "$(printf 'hello\ninner')" "$who: the bound file and directory"
		# The mount points stay, empty: a file and a directory.
		[ -f new/a/file ] && [ ! -s new/a/file ] || flunk "$who: new/a/file is not an empty file"
		[ -d new/b/dir ] && [ -z "$(ls new/b/dir)" ] || flunk "$who: new/b/dir is not an empty directory"
	done
}

@test "--ro-bind: writes fail with EROFS, reads work, the source stays writable" {
	local who
	for who in "${WHO[@]}"; do
		run --separate-stderr nsu_who "$who" --ro-bind "$T/src" "$T/dst" -- \
			sh -c 'cat dst/file; touch dst/x 2>&1; touch dst/sub/x 2>&1; exit 0'
		assert_status 0
		assert_eq "${lines[0]}" hello "$who: read"
		assert_match "${lines[1]}" "Read-only file system" "$who: write"
		assert_match "${lines[2]}" "Read-only file system" "$who: write below"
		as_user nsu-one touch src/ok && rm src/ok || flunk "$who: the source became read-only"
	done
}

@test "--ro-bind: a nosuid,nodev,noexec source keeps those flags, and its submounts go read-only" {
	mkdir -p locked
	mount -t tmpfs -o nosuid,nodev,noexec,mode=0777 nsu-locked locked
	mkdir -p locked/sub
	mount -t tmpfs -o nosuid,mode=0777 nsu-locked-sub locked/sub
	local who
	for who in "${WHO[@]}"; do
		run --separate-stderr nsu_who "$who" --ro-bind "$T/locked" /mnt -- sh -c \
			'findmnt -n -o OPTIONS /mnt; findmnt -n -o OPTIONS /mnt/sub; touch /mnt/sub/x 2>&1; exit 0'
		assert_status 0
		assert_eq "$stderr" "" "$who: stderr"
		assert_match "${lines[0]}" "^ro,nosuid,nodev,noexec" "$who: flags of the bind"
		assert_match "${lines[1]}" "^ro,nosuid" "$who: flags of the submount"
		assert_match "${lines[2]}" "Read-only file system" "$who: write in the submount"
	done
	umount locked/sub locked
}

@test "--tmpfs: an empty writable directory inside, gone after" {
	local who
	for who in "${WHO[@]}"; do
		run --separate-stderr nsu_who "$who" --tmpfs "$T/src" -- \
			sh -c 'ls -A src | wc -l; echo x >src/new && cat src/new; findmnt -n -o FSTYPE "$PWD/src"'
		assert_status 0
		assert_eq "$output" "$(printf '0\nx\ntmpfs')" "$who: the tmpfs"
		[ -e src/file ] && [ ! -e src/new ] || flunk "$who: the source directory changed"
	done
}

@test "filesystem options apply in the order given" {
	# A tmpfs, then a bind into it: both are seen.
	run --separate-stderr nsu_as nsu-one --tmpfs /mnt --bind "$T/src" /mnt/in -- \
		sh -c 'cat /mnt/in/file; findmnt -n -o FSTYPE /mnt'
	assert_status 0
	assert_eq "$output" "$(printf 'hello\ntmpfs')" "tmpfs then bind"
	# A bind, then a tmpfs over it: the bind is hidden.
	run --separate-stderr nsu_as nsu-one --bind "$T/src" /mnt --tmpfs /mnt -- ls -A /mnt
	assert_status 0
	assert_eq "$output" "" "bind then tmpfs"
	# Sources are the host's paths, whatever an earlier option mounted there.
	run --separate-stderr nsu_as nsu-one --tmpfs "$T" --bind "$T/src" "$T/dst" -- cat "$T/dst/file"
	assert_status 0
	assert_eq "$output" hello "a source under an earlier tmpfs"
}

@test "filesystem options: errors name the option, the path and the step; nothing runs" {
	run --separate-stderr nsu_as nsu-one --bind "$T/nosuch" "$T/dst" -- touch ran
	assert_status 125
	assert_eq "$stderr" "nsu: --bind $T/nosuch $T/dst: $T/nosuch: No such file or directory" "missing source"
	run --separate-stderr nsu_as nsu-one --bind "$T/src" dst -- touch ran
	assert_status 125
	assert_eq "$stderr" "nsu: option '--bind': DEST 'dst' must be an absolute path (where to mount)" "relative DEST"
	run --separate-stderr nsu_as nsu-one --tmpfs / -- touch ran
	assert_status 125
	assert_match "$stderr" "^nsu: --tmpfs /: / is the root directory, which cannot be mounted over" "tmpfs on /"
	chmod 0755 src
	chown root:root src
	run --separate-stderr nsu_as nsu-two --bind "$T/src/file" "$T/src/new/file" -- touch ran
	assert_status 125
	assert_eq "$stderr" "nsu: --bind $T/src/file $T/src/new/file: creating $T/src/new: Permission denied" "DEST that cannot be made"
	[ ! -e ran ] || flunk "the command ran"
}

# --- a root of its own ---------------------------------------------------------------------

# Not under valgrind: with --pid the init forks the command under valgrind, whose own files are not in the new root
# bats test_tags=no-valgrind
@test "the README's busybox root: id, ps, ls /dev" {
	make_rootfs rootfs
	local who
	for who in "${WHO[@]}"; do
		run --separate-stderr nsu_who "$who" --pid --mount-proc --rootfs rootfs -- \
			sh -c 'id; ps; ls /dev'
		assert_status 0
		assert_eq "$stderr" "" "$who: stderr"
		assert_match "${lines[0]}" "^uid=0 gid=0( |$)" "$who: id"
		# ps: a header, the init (nsu), sh and ps itself (a fork of sh).
		assert_match "${lines[1]}" "^PID +USER +COMMAND$" "$who: ps header"
		assert_match "${lines[2]}" "^ +1 0 +nsu " "$who: the init"
		assert_match "${lines[3]}" "^ +2 0 +sh -c id; ps; ls /dev$" "$who: the command"
		assert_match "${lines[4]}" "^ +[0-9]+ 0 +.*ps" "$who: ps"
		assert_eq "$(printf '%s ' "${lines[@]:5}")" "fd full null ptmx pts random shm stderr stdin stdout tty urandom zero " "$who: /dev"
	done
}

@test "--rootfs: the devices work, /dev/pts is a new instance, /sys is read-only" {
	make_rootfs rootfs
	run --separate-stderr nsu_as nsu-one --rootfs rootfs -- sh -c '
		echo x >/dev/null && echo null ok
		test -c /dev/zero && test -c /dev/urandom && echo devices ok
		test "$(readlink /dev/fd)" = /proc/self/fd && test "$(readlink /dev/ptmx)" = pts/ptmx && echo links ok
		ls /dev/pts
		mount | grep -E " on /dev/pts | on /dev | on /dev/shm | on /sys "
		touch /sys/x 2>&1
		exit 0'
	assert_status 0
	assert_eq "$stderr" "" "stderr"
	assert_has_line "$output" "null ok"
	assert_has_line "$output" "devices ok"
	assert_has_line "$output" "links ok"
	# A new devpts instance: only its ptmx, none of the host's ptys.
	assert_has_line "$output" "ptmx" "ls /dev/pts"
	assert_line_match "$output" "^devpts on /dev/pts type devpts \\(.*ptmxmode=666" "devpts"
	assert_line_match "$output" "^tmpfs on /dev type tmpfs \\(rw,nosuid,nodev" "/dev"
	assert_line_match "$output" "^tmpfs on /dev/shm type tmpfs" "/dev/shm"
	assert_line_match "$output" "^sysfs on /sys type sysfs \\(ro," "/sys"
	assert_line_match "$output" "^touch: /sys/x: Read-only file system$" "write in /sys"
}

@test "--rootfs: the root is writable without --ro-root, read-only with it" {
	make_rootfs rootfs
	local who
	for who in nsu-one root; do
		run --separate-stderr nsu_who "$who" --rootfs rootfs -- sh -c 'touch /made && echo made'
		assert_status 0
		assert_eq "$output" made "$who: write without --ro-root"
		[ -e rootfs/made ] || flunk "$who: the file is not in the tree"
		rm rootfs/made
		run --separate-stderr nsu_who "$who" --rootfs rootfs --ro-root -- sh -c 'touch /made 2>&1; echo x >/dev/shm/y && echo shm ok'
		assert_status 0
		assert_eq "$output" "$(printf 'touch: /made: Read-only file system\nshm ok')" "$who: with --ro-root"
	done
}

@test "--rootfs with binds: sources from the host, destinations in the new root, -w inside" {
	make_rootfs rootfs
	local who
	for who in "${WHO[@]}"; do
		run --separate-stderr nsu_who "$who" --rootfs rootfs --bind "$T/src" /nsu-test-work \
			--ro-bind "$T/src/file" /etc/file --tmpfs /tmp -w /nsu-test-work -- \
			sh -c 'pwd; cat file /etc/file; ls -A /tmp | wc -l; touch /etc/file 2>&1; exit 0'
		assert_status 0
		assert_eq "$output" "$(printf '/nsu-test-work\nhello\nhello\n0\ntouch: /etc/file: Read-only file system')" "$who: inside"
		[ -d rootfs/nsu-test-work ] && [ -f rootfs/etc/file ] || flunk "$who: the mount points are not in the tree"
	done
	# The host's own directories are untouched.
	[ ! -e /nsu-test-work ] || flunk "/nsu-test-work appeared on the host"
}

@test "--rootfs: the old root is gone: nothing of the host is reachable" {
	make_rootfs rootfs
	run --separate-stderr nsu_as nsu-one --rootfs rootfs -- sh -c \
		'ls /; mount | grep -cv -E " on /(proc|sys|dev)(/|\$| )"'
	assert_status 0
	assert_eq "${lines[0]}" "bin" "first entry of /"
	assert_eq "$(printf '%s\n' "${lines[@]:0:4}" | sort | tr '\n' ' ')" "bin dev proc sys " "ls /"
	assert_eq "${lines[4]}" 1 "mounts besides /proc, /sys and /dev: only the root"
}

@test "--rootfs without --mount-proc: the host's /proc, read through a bind" {
	make_rootfs rootfs
	run --separate-stderr nsu_as nsu-one --rootfs rootfs -- sh -c 'test -d /proc/1 && ls -d /proc/[0-9]* | wc -l'
	assert_status 0
	(( output > 5 )) || flunk "only $output processes in the host's /proc"
}

@test "--rootfs: failures name the path and the step, exit 125, nothing runs" {
	run --separate-stderr nsu_as nsu-one --rootfs "$T/nosuch" -- touch "$T/ran"
	assert_status 125
	assert_eq "$stderr" "nsu: --rootfs $T/nosuch: No such file or directory" "missing"
	run --separate-stderr nsu_as nsu-one --rootfs "$T/src/file" -- touch "$T/ran"
	assert_status 125
	assert_eq "$stderr" "nsu: --rootfs $T/src/file: Not a directory" "a file"
	# A tree the user cannot write, without /dev: nsu cannot make its mount point.
	make_rootfs rootfs
	chown -R root:root rootfs
	run --separate-stderr nsu_as nsu-one --rootfs rootfs -- touch "$T/ran"
	assert_status 125
	assert_eq "$stderr" "nsu: --rootfs rootfs: /proc is missing and cannot be created: Permission denied (create the directories /proc, /sys and /dev in the new root)" "no /proc"
	mkdir rootfs/proc rootfs/sys
	ln -s /dev rootfs/dev
	run --separate-stderr nsu_as nsu-one --rootfs rootfs -- touch "$T/ran"
	assert_status 125
	assert_eq "$stderr" "nsu: --rootfs rootfs: /dev is a symbolic link: it must be a directory of the new root" "/dev a link"
	[ ! -e ran ] || flunk "the command ran"
}

@test "--ro-root without --rootfs is refused" {
	run --separate-stderr nsu_as nsu-one --ro-root -- true
	assert_status 125
	assert_eq "$stderr" "nsu: option '--ro-root' needs '--rootfs DIR'" "stderr"
}
