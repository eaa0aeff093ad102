#!/usr/bin/env bash
# Lab image recipe: runs INSIDE the debootstrapped chroot. Its content (plus the
# ZFS variant) is the image cache key, so any edit here triggers a rebuild.
# Inputs (env): ZFS_VARIANT=2.3|2.1
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive LC_ALL=C
MIRROR=http://deb.debian.org/debian

cat > /etc/apt/sources.list <<SRC
deb $MIRROR bookworm main contrib
deb $MIRROR bookworm-updates main contrib
deb http://deb.debian.org/debian-security bookworm-security main contrib
SRC
target=()
if [ "$ZFS_VARIANT" = "2.3" ]; then
  # OpenZFS 2.3 and its matching kernel (6.12) come from backports.
  echo "deb $MIRROR bookworm-backports main contrib" >> /etc/apt/sources.list
  target=(-t bookworm-backports)
fi
# Services must not start inside the chroot.
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
apt_install() { apt-get install -y -q --no-install-recommends -o Dpkg::Use-Pty=0 "$@"; }

apt-get update -q
# Kernel and headers first: DKMS then builds for the guest kernel, not the host's.
apt_install "${target[@]}" linux-image-amd64 linux-headers-amd64
apt_install build-essential dkms
apt_install "${target[@]}" zfs-dkms zfsutils-linux
kver=$(ls /lib/modules | sort -V | tail -n1)
if ! find "/lib/modules/$kver" -name 'zfs.ko*' | grep -q .; then
  dkms autoinstall -k "$kver"
fi
find "/lib/modules/$kver" -name 'zfs.ko*' | grep -q . || { echo "zfs module was not built for $kver" >&2; exit 1; }
depmod "$kver"

# Record what went in: the cache is keyed on the recipe, this tells what it produced.
{
  echo "kernel=$kver"
  dpkg-query -W -f='${Package}=${Version}\n' linux-image-amd64 zfs-dkms zfsutils-linux openssh-server
} > /zed-lab-versions

# Guest configuration.
echo zedlab > /etc/hostname
printf '127.0.0.1 localhost\n127.0.1.1 zedlab\n' > /etc/hosts
echo '/dev/vda / ext4 defaults,noatime 0 1' > /etc/fstab
echo zfs > /etc/modules-load.d/zfs.conf
mkdir -p /etc/systemd/network
cat > /etc/systemd/network/20-eth0.network <<NET
[Match]
Name=eth0
[Network]
Address=10.0.2.15/24
Gateway=10.0.2.2
DNS=10.0.2.3
NET
systemctl enable systemd-networkd ssh >/dev/null 2>&1 || true
# Nothing waits for "network online"; sshd binds 0.0.0.0 and is reached through qemu's forward.
systemctl mask systemd-networkd-wait-online.service apt-daily.timer apt-daily-upgrade.timer \
  e2scrub_all.timer fstrim.timer zfs-zed.service >/dev/null 2>&1 || true
cat > /etc/ssh/sshd_config.d/zed-lab.conf <<SSHD
PermitRootLogin prohibit-password
PasswordAuthentication no
UseDNS no
MaxSessions 64
MaxStartups 64:30:128
HostKey /etc/ssh/ssh_host_ed25519_key
SSHD
passwd -l root >/dev/null

# Slim: drop caches and docs (the module is already built; headers stay for dkms' bookkeeping).
apt-get clean
rm -rf /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/* /usr/share/locale/* /usr/sbin/policy-rc.d
