#include "textflag.h"

// func dot4AVX(w *float32, stride int, x *float32, nblk int, out *[32]float32)
// out[8r+l] = lane l of the exact dot product of row r (w + r·stride bytes)
// with x over nblk blocks of 8: acc = acc + round(w·x), multiply then add.
TEXT ·dot4AVX(SB), NOSPLIT, $0-40
	MOVQ w+0(FP), SI
	MOVQ stride+8(FP), DX
	MOVQ x+16(FP), DI
	MOVQ nblk+24(FP), CX
	MOVQ out+32(FP), R8
	LEAQ (SI)(DX*1), R9
	LEAQ (R9)(DX*1), R10
	LEAQ (R10)(DX*1), R11
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	XORQ AX, AX
	TESTQ CX, CX
	JEQ done

loop:
	VMOVUPS (DI)(AX*1), Y4
	VMULPS (SI)(AX*1), Y4, Y5
	VADDPS Y5, Y0, Y0
	VMULPS (R9)(AX*1), Y4, Y6
	VADDPS Y6, Y1, Y1
	VMULPS (R10)(AX*1), Y4, Y7
	VADDPS Y7, Y2, Y2
	VMULPS (R11)(AX*1), Y4, Y8
	VADDPS Y8, Y3, Y3
	ADDQ $32, AX
	DECQ CX
	JNZ loop

done:
	VMOVUPS Y0, (R8)
	VMOVUPS Y1, 32(R8)
	VMOVUPS Y2, 64(R8)
	VMOVUPS Y3, 96(R8)
	VZEROUPPER
	RET
