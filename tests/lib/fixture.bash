# shellcheck shell=bash
# Test fixture for nsu's end-to-end tests and benchmark.
#
# As root, nsu_fixture_enter re-executes the calling script in a private
# mount namespace, where nsu_fixture_setup lays a copy of /etc over the real
# one with test users and their /etc/subuid and /etc/subgid lines. The host's
# files are never written; everything disappears with the namespace.
#
# Test users (name uid:gid, subordinate ranges for both uids and gids):
#   nsu-one  61001:61001  100000:65536
#   nsu-two  61002:61002  200000:1000 and 300000:2000
#   nsu-none 61003:61003  none
#   nsu-grp  61004:61104  500000:65536 (primary gid differs from the uid)

NSU_FIXTURE_USERS="nsu-one nsu-two nsu-none nsu-grp"

# nsu_fixture_enter CMD [ARG...]: unless already there, exec CMD (normally
# "$BASH" "$0" "$@") in a private mount namespace.
nsu_fixture_enter() {
	if [ "${NSU_FIXTURE_NS:-}" = "$$" ]; then
		return 0
	fi
	NSU_FIXTURE_NS=INNER exec unshare --mount --propagation private -- \
		/bin/bash -c 'NSU_FIXTURE_NS=$$ exec "$@"' nsu-fixture "$@"
}

# nsu_fixture_setup: lay the fixture /etc, install nsu where test users can
# run it, and export NSU (the binary) and NSU_FIXTURE_DIR.
nsu_fixture_setup() {
	local dir
	[ "$(id -u)" = 0 ] || { echo "nsu_fixture_setup: needs root" >&2; return 1; }
	[ "${NSU_FIXTURE_NS:-}" = "$$" ] || [ -n "${NSU_FIXTURE_NS:-}" ] ||
		{ echo "nsu_fixture_setup: not in a private mount namespace" >&2; return 1; }
	# A tmpfs of our own: nothing is left behind when the namespace goes.
	dir=/run/nsu-fixture.$$
	mkdir -p "$dir" && mount -t tmpfs -o mode=0755 nsu-fixture "$dir" || return 1
	cp -a /etc "$dir/etc" || return 1
	{
		echo "nsu-one:x:61001:61001:nsu test:/home/nsu-one:/bin/sh"
		echo "nsu-two:x:61002:61002:nsu test:/home/nsu-two:/bin/sh"
		echo "nsu-none:x:61003:61003:nsu test:/home/nsu-none:/bin/sh"
		echo "nsu-grp:x:61004:61104:nsu test:/home/nsu-grp:/bin/sh"
	} >>"$dir/etc/passwd"
	{
		echo "nsu-one:x:61001:"
		echo "nsu-two:x:61002:"
		echo "nsu-none:x:61003:"
		echo "nsu-grpg:x:61104:"
	} >>"$dir/etc/group"
	local f
	for f in subuid subgid; do
		{
			echo "nsu-one:100000:65536"
			echo "nsu-two:200000:1000"
			echo "nsu-two:300000:2000"
			echo "nsu-grp:500000:65536"
		} >"$dir/etc/$f"
		chmod 0644 "$dir/etc/$f"
	done
	mount --bind "$dir/etc" /etc || return 1

	mkdir -p "$dir/bin" "$dir/home" "$dir/tmp"
	chmod 1777 "$dir/tmp"
	if [ "${NSU_VALGRIND:-0}" = 1 ]; then
		nsu_fixture_valgrind "$dir" || return 1
	else
		install -m 0755 "${NSU_BUILD_BIN:?NSU_BUILD_BIN: path of the built nsu}" "$dir/bin/nsu" ||
			return 1
	fi
	for f in $NSU_FIXTURE_USERS; do
		install -d -m 0755 -o "$f" -g "$(id -g "$f")" "$dir/home/$f"
	done
	mount --bind "$dir/home" /home || return 1
	NSU="$dir/bin/nsu"
	NSU_FIXTURE_DIR=$dir
	export NSU NSU_FIXTURE_DIR
}

# nsu_fixture_valgrind DIR: the memcheck mode of the tests (NSU_VALGRIND=1).
# $NSU becomes DIR/bin/nsu, a wrapper that runs the built nsu, installed as
# DIR/real/nsu, under valgrind memcheck: the outer nsu and its re-executed
# inner stage, not the helpers nor the command. Each call gets a directory
# of its own in DIR/vg (exported as NSU_VALGRIND_LOGS) holding "call" (the
# test, the user and the arguments) and one vg.PID.log per process that
# valgrind ran (tests/e2e/run-bats reads them). A call with a memcheck error
# in the outer nsu also exits with status 86.
# NSU_VALGRIND_PRELOAD names the built tests/valgrind/vgfix.so, which keeps
# valgrind's traces out of what the tests look at (see vgfix.c).
NSU_VALGRIND_STATUS=86
nsu_fixture_valgrind() {
	local dir=$1 vg skip d
	vg=$(command -v valgrind.bin || command -v valgrind) ||
		{ echo "nsu_fixture_valgrind: valgrind is not installed" >&2; return 1; }
	# Debian's /usr/bin/valgrind is a script that adds variables to the
	# environment; valgrind.bin, the real launcher, adds none.
	[ -r "${NSU_VALGRIND_PRELOAD:-}" ] ||
		{ echo "nsu_fixture_valgrind: NSU_VALGRIND_PRELOAD: no vgfix.so (make check builds it)" >&2
			return 1; }
	mkdir -p "$dir/real" "$dir/vg" || return 1
	chmod 0755 "$dir/real" && chmod 1777 "$dir/vg" || return 1
	install -m 0755 "${NSU_BUILD_BIN:?NSU_BUILD_BIN: path of the built nsu}" "$dir/real/nsu" &&
		install -m 0644 "$NSU_VALGRIND_PRELOAD" "$dir/real/vgfix.so" || return 1
	# Trace the re-executed nsu only: every other program nsu runs (the
	# helpers, the command, scripts and copies of this wrapper in the
	# test's directory) runs without valgrind.
	skip=./*,../*
	for d in /usr /bin /sbin /lib /lib32 /lib64 /libx32 /etc /home /root /tmp /var /opt \
		/srv /mnt /media /dev /proc /sys "$dir/bin" "$dir/tmp" "$dir/home" "$dir/etc"; do
		skip+=",$d/*"
	done
	{
		printf '#!/usr/bin/perl\n# nsu under valgrind memcheck (tests/lib/fixture.bash, NSU_VALGRIND=1)\n'
		printf "my (\$vg, \$real, \$logs, \$fix, \$status, \$skip) = ('%s', '%s', '%s', '%s', %s, '%s');\n" \
			"$vg" "$dir/real/nsu" "$dir/vg" "$dir/real/vgfix.so" "$NSU_VALGRIND_STATUS" "$skip"
		cat <<'WRAPPER'
# Each call: a directory of its own, with a note of who called nsu how.
my $call = "$logs/" . time() . ".$$";
my $mask = umask 0;
mkdir $call, 0777;
umask $mask;
if (open my $f, '>', "$call/call") {
	my $t = $ENV{BATS_TEST_FILENAME} // '';
	$t =~ s{.*/}{};
	printf $f "test %s %s (%s)\n", $t, $ENV{BATS_TEST_NUMBER} // '?', $ENV{BATS_TEST_NAME} // '?'
		if $t;
	printf $f "uid %d, in %s\n", $<, readlink('/proc/self/cwd') // '?';
	print $f join(' ', '$NSU', map {
		(my $a = length > 200 ? substr($_, 0, 60) . "...(" . length . " bytes)" : $_) =~ s/'/'\\''/g;
		"'$a'"
	} @ARGV), "\n";
	close $f;
}
$ENV{NSU_VG_LOGDIR} = $logs;
$ENV{NSU_VG_EXE} = $real;
# perl keeps this script open, on stdin, stdout or stderr if the caller
# closed one: vgfix.so closes it there.
$ENV{NSU_VG_SCRIPT} = $0;
# valgrind puts VALGRIND_LIB in the environment of the programs it runs.
$ENV{NSU_VG_NO_LIB} = 1 unless defined $ENV{VALGRIND_LIB};
if (defined $ENV{LD_PRELOAD}) {
	$ENV{NSU_VG_PRELOAD} = $ENV{LD_PRELOAD};
	$ENV{LD_PRELOAD} = "$fix:$ENV{LD_PRELOAD}";
} else {
	delete $ENV{NSU_VG_PRELOAD};
	$ENV{LD_PRELOAD} = $fix;
}
exec { $vg } $vg, '--vgdb=no', "--error-exitcode=$status",
	'--leak-check=full', '--show-leak-kinds=definite', '--errors-for-leak-kinds=definite',
	'--trace-children=yes', "--trace-children-skip=$skip",
	"--log-file=$call/vg.%p.log", $real, @ARGV;
print STDERR "nsu (under valgrind): cannot run $vg: $!\n";
exit 125;
WRAPPER
	} >"$dir/bin/nsu" || return 1
	chmod 0755 "$dir/bin/nsu" || return 1
	NSU_VALGRIND_LOGS=$dir/vg
	export NSU_VALGRIND_LOGS
}

# as_user USER CMD [ARG...]: run CMD as USER, with that user's groups and HOME,
# keeping the environment otherwise (PATH without root-only directories).
as_user() {
	local user=$1
	shift
	HOME=/home/$user USER=$user LOGNAME=$user \
		PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
		setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups -- "$@"
}

# nsu_fixture_teardown: remove the mount point nsu_fixture_setup had to make
# on the host's /run. The fixture's /etc and /home stay mounted: a process of
# a test still running (the run was killed) keeps writing the fixture's
# copies, never the host's files; they go with the namespace.
nsu_fixture_teardown() {
	[ -n "${NSU_FIXTURE_DIR:-}" ] || return 0
	umount -l "$NSU_FIXTURE_DIR" 2>/dev/null
	rmdir "$NSU_FIXTURE_DIR" 2>/dev/null
	unset NSU_FIXTURE_DIR
	return 0
}
