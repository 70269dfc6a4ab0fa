/* Wake-on-LAN on the boot NIC, set just before a power-off (ghost.wol=): office PCs without a
 * BMC can only be powered on again by a magic packet, and several drivers leave it disabled
 * unless it is asked for before the machine goes down (what `ethtool -s IF wol g` does). */
#ifndef GHOST_WOL_H
#define GHOST_WOL_H

#include <stdint.h>

#include "boot/boot_config.h"

/* Sets the NIC's wake-up options to mode (WOL_MAGIC: the magic packet only; WOL_OFF: none)
 * through SIOCETHTOOL and reads them back. 0 when the NIC now wakes as asked; -EOPNOTSUPP when
 * the driver cannot (no such wake-up among *supported); else -errno. *supported and *now are
 * the driver's WAKE_* bits (0 when unknown). Not bounded: the caller runs it in a child. */
int wol_set(const char *ifname, enum wol_mode mode, uint32_t *supported, uint32_t *now);

/* ethtool's letters for WAKE_* bits ("g" for the magic packet, "d" for none). */
const char *wol_letters(uint32_t bits, char *buf, unsigned cap);

#endif
