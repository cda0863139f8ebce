# Builds one sample's private filesystem and runs a command in it as an unprivileged uid.
# Runs as root, as the first process of fresh mount, network, PID, IPC and UTS namespaces
# (unshare --fork --kill-child), and stays the namespace's first process while the command runs:
# its exit tears the namespace down with everything the command started, and it keeps the
# parent-death signal that the uid change clears on the command itself.
# Arguments: CONTAINER MODE SYSROOT UID TMPFS_BYTES AS_BYTES NPROC FSIZE_BYTES CPU_SECONDS -- COMMAND...
# CONTAINER holds root/ (an empty mount point) and box/ (the sample's folder, shown as /sandbox,
# writable only in MODE compile, and then only by rustc). The command starts in /sandbox to
# compile and in /tmp to run.
set -eu
c=$1 mode=$2 sysroot=$3 uid=$4 tmpfs=$5 as=$6 nproc=$7 fsize=$8 cpu=$9
shift 10
path=$PATH
PATH=/usr/local/sbin:/usr/sbin:/sbin:$PATH
r=$c/root
mount -t tmpfs -o size=1m,mode=755,nosuid,nodev m31r-root "$r"
links=
for d in /bin /sbin /lib /lib32 /lib64 /libx32; do
  if [ -L "$d" ]; then links="$links $d"; elif [ -d "$d" ]; then mkdir "$r$d"; mount --bind -o ro,nosuid,nodev "$d" "$r$d"; fi
done
# shellcheck disable=SC2086
[ -z "$links" ] || cp -P $links "$r/"
mkdir -p "$r/usr" "$r/etc/alternatives" "$r/sandbox" "$r/tmp" "$r/var/tmp" "$r/dev/shm" "$r/proc" "$r$sysroot"
mount --bind -o ro,nosuid,nodev /usr "$r/usr"
mount --bind -o ro,nosuid,nodev "$sysroot" "$r$sysroot"
# The linker is reached through /etc/alternatives on Debian; the loader cache finds multiarch libraries.
if [ -d /etc/alternatives ]; then mount --bind -o ro,nosuid,nodev /etc/alternatives "$r/etc/alternatives"; fi
if [ -f /etc/ld.so.cache ]; then : > "$r/etc/ld.so.cache"; mount --bind -o ro,nosuid,nodev /etc/ld.so.cache "$r/etc/ld.so.cache"; fi
for n in null zero urandom; do : > "$r/dev/$n"; mount --bind "/dev/$n" "$r/dev/$n"; done
ln -s /proc/self/fd "$r/dev/fd"
for t in tmp var/tmp dev/shm; do mount -t tmpfs -o "size=$tmpfs,mode=1777,nosuid,nodev" m31r-tmp "$r/$t"; done
mount -t proc -o nosuid,nodev,noexec proc "$r/proc"
if [ "$mode" = compile ]; then
  mount --bind -o nosuid,nodev "$c/box" "$r/sandbox"
else
  mount --bind -o ro,nosuid,nodev "$c/box" "$r/sandbox"
fi
cd "$r"
pivot_root . .
umount -l .
mount -o remount,ro,nosuid,nodev /
if [ "$mode" = compile ]; then cd /sandbox; else cd /tmp; fi
set +e
PATH=$path prlimit --as="$as" --nproc="$nproc" --fsize="$fsize" --core=0 --cpu="$cpu" -- \
  setpriv --reuid="$uid" --regid="$uid" --clear-groups --inh-caps=-all --bounding-set=-all --no-new-privs -- "$@"
exit $?
