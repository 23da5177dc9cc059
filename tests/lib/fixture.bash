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
	install -m 0755 "${NSU_BUILD_BIN:?NSU_BUILD_BIN: path of the built nsu}" "$dir/bin/nsu" || return 1
	for f in $NSU_FIXTURE_USERS; do
		install -d -m 0755 -o "$f" -g "$(id -g "$f")" "$dir/home/$f"
	done
	mount --bind "$dir/home" /home || return 1
	NSU="$dir/bin/nsu"
	NSU_FIXTURE_DIR=$dir
	export NSU NSU_FIXTURE_DIR
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

# nsu_fixture_teardown: undo nsu_fixture_setup (the namespace would too; this
# also removes the empty mount point it had to create on the host's /run).
nsu_fixture_teardown() {
	[ -n "${NSU_FIXTURE_DIR:-}" ] || return 0
	umount -l /home /etc "$NSU_FIXTURE_DIR" 2>/dev/null
	rmdir "$NSU_FIXTURE_DIR" 2>/dev/null
	unset NSU_FIXTURE_DIR
	return 0
}
