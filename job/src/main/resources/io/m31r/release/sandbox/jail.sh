# Builds one sample's private filesystem and runs a command in it as an unprivileged uid.
# Runs as root, as the first process of fresh mount, network, PID, IPC and UTS namespaces
# (unshare --fork --kill-child), and stays the namespace's first process while the command runs:
# its exit tears the namespace down with everything the command started, and it keeps the
# parent-death signal that the uid change clears on the command itself.
# Arguments: CONTAINER MODE SYSROOT UID TMPFS_BYTES AS_BYTES NPROC FSIZE_BYTES CPU_SECONDS
#            CONTAINER_FSTAB SYSROOT_FSTAB -- COMMAND...
# CONTAINER holds root/ (an empty mount point) and box/ (the sample's folder, shown as /sandbox,
# writable only in MODE compile, and then only by rustc). The command starts in /sandbox to
# compile and in /tmp to run. *_FSTAB are the same paths escaped for a mount table.
# Every process started here costs milliseconds per sample on a slow fork, twice per sample: the
# mounts are written as two tables (directories, then files over targets made in between) and
# each table is one `mount --all`. The tables stay in CONTAINER, which the jail never shows.
set -eu
c=$1 mode=$2 sysroot=$3 uid=$4 tmpfs=$5 as=$6 nproc=$7 fsize=$8 cpu=$9 ct=${10} st=${11}
shift 12
path=$PATH
PATH=/usr/local/sbin:/usr/sbin:/sbin:$PATH
r=$c/root rt=$ct/root
o=ro,nosuid,nodev
box=$o
if [ "$mode" = compile ]; then box=nosuid,nodev; fi
links=
{
  printf 'm31r-root %s tmpfs size=1m,mode=755,nosuid,nodev 0 0\n' "$rt"
  for d in /bin /sbin /lib /lib32 /lib64 /libx32; do
    if [ -L "$d" ]; then links="$links $d"; elif [ -d "$d" ]; then printf '%s %s%s none bind,%s,X-mount.mkdir 0 0\n' "$d" "$rt" "$d" "$o"; fi
  done
  printf '/usr %s/usr none bind,%s,X-mount.mkdir 0 0\n' "$rt" "$o"
  printf '%s %s%s none bind,%s,X-mount.mkdir 0 0\n' "$st" "$rt" "$st" "$o"
  # The linker is reached through /etc/alternatives on Debian.
  if [ -d /etc/alternatives ]; then printf '/etc/alternatives %s/etc/alternatives none bind,%s,X-mount.mkdir 0 0\n' "$rt" "$o"; fi
  for t in tmp var/tmp dev/shm; do printf 'm31r-tmp %s/%s tmpfs size=%s,mode=1777,nosuid,nodev,X-mount.mkdir 0 0\n' "$rt" "$t" "$tmpfs"; done
  printf 'proc %s/proc proc nosuid,nodev,noexec,X-mount.mkdir 0 0\n' "$rt"
  printf '%s/box %s/sandbox none bind,%s,X-mount.mkdir 0 0\n' "$ct" "$rt" "$box"
} > "$c/mounts.dirs"
mount --all --fstab "$c/mounts.dirs"
{
  for n in null zero urandom; do : > "$r/dev/$n"; printf '/dev/%s %s/dev/%s none bind 0 0\n' "$n" "$rt" "$n"; done
  # The loader cache finds multiarch libraries.
  if [ -f /etc/ld.so.cache ]; then
    [ -d "$r/etc" ] || mkdir "$r/etc"
    : > "$r/etc/ld.so.cache"
    printf '/etc/ld.so.cache %s/etc/ld.so.cache none bind,%s 0 0\n' "$rt" "$o"
  fi
} > "$c/mounts.files"
mount --all --fstab "$c/mounts.files"
# shellcheck disable=SC2086
[ -z "$links" ] || cp -P $links "$r/"
ln -s /proc/self/fd "$r/dev/fd"
cd "$r"
pivot_root . .
umount -l .
mount -o remount,ro,nosuid,nodev /
if [ "$mode" = compile ]; then cd /sandbox; else cd /tmp; fi
set +e
PATH=$path prlimit --as="$as" --nproc="$nproc" --fsize="$fsize" --core=0 --cpu="$cpu" -- \
  setpriv --reuid="$uid" --regid="$uid" --clear-groups --inh-caps=-all --bounding-set=-all --no-new-privs -- "$@"
exit $?
