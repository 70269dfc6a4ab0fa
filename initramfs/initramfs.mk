# The worker image and its size budgets.
IMAGE_INPUTS := initramfs/mkimage.sh initramfs/modules.default $(BUILD)/busybox/.key

$(BUILD)/initramfs.img: $(BUILD)/ghostinit $(IMAGE_INPUTS) | $(KERNEL)/.key
	initramfs/mkimage.sh --output $@ --agent $(BUILD)/ghostinit --kernel-tree $(KERNEL) --nic-parts $@.nic

size: $(BUILD)/ghostinit $(BUILD)/initramfs.img
	@initramfs/size.sh $(BUILD)/ghostinit $(BUILD)/initramfs.img $(KERNEL)
