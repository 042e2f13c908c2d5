//go:build !purego

#include "textflag.h"

// The bank's recursions over 16-bit samples, eight filters in vector
// lanes: the same operations, in the same order, as the pure-Go bank, one
// rounding each (a multiply and an add, never fused), so the states come
// out bit for bit the same. See bank_amd64.go.

// LOADPAIR loads the next two samples at SI into R10 and R11, adds the
// squares of their first differences (from R8, the sample before) to R9,
// in integers, and leaves the second in R8.
#define LOADPAIR \
	MOVWQSX 0(SI), R10 \
	MOVWQSX 2(SI), R11 \
	MOVQ R10, R12 \
	SUBQ R8, R12 \
	IMULQ R12, R12 \
	ADDQ R12, R9 \
	MOVQ R11, R13 \
	SUBQ R10, R13 \
	IMULQ R13, R13 \
	ADDQ R13, R9 \
	MOVQ R11, R8

// func bankAVX2(st *[2 * numFilters]float64, x *int16, pairs int, dc float64, prev int64, c *[numFilters]float64) (diffSq int64)
TEXT ·bankAVX2(SB), NOSPLIT, $0-56
	MOVQ st+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ pairs+16(FP), CX
	MOVQ prev+32(FP), R8
	MOVQ c+40(FP), AX
	VMOVUPD 0(AX), Y8            // rows' coefficients
	VMOVUPD 32(AX), Y9           // columns'
	VMOVSD dc+24(FP), X12
	VXORPD Y0, Y0, Y0            // a, rows
	VXORPD Y1, Y1, Y1            // b, rows
	VXORPD Y2, Y2, Y2            // a, columns
	VXORPD Y3, Y3, Y3            // b, columns
	XORQ R9, R9                  // Σ(x[i] − x[i−1])²
	TESTQ CX, CX
	JZ avx2done

avx2loop:
	LOADPAIR
	VCVTSI2SDQ R10, X4, X4
	VSUBSD X12, X4, X4           // v0 = x[i] − dc
	VBROADCASTSD X4, Y4
	VCVTSI2SDQ R11, X5, X5
	VSUBSD X12, X5, X5           // v1 = x[i+1] − dc
	VBROADCASTSD X5, Y5
	// b = (v0 − b) + c·a
	VSUBPD Y1, Y4, Y6
	VMULPD Y0, Y8, Y7
	VADDPD Y7, Y6, Y1
	VSUBPD Y3, Y4, Y10
	VMULPD Y2, Y9, Y11
	VADDPD Y11, Y10, Y3
	// a = (v1 − a) + c·b
	VSUBPD Y0, Y5, Y6
	VMULPD Y1, Y8, Y7
	VADDPD Y7, Y6, Y0
	VSUBPD Y2, Y5, Y10
	VMULPD Y3, Y9, Y11
	VADDPD Y11, Y10, Y2
	ADDQ $4, SI
	DECQ CX
	JNZ avx2loop

avx2done:
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y2, 32(DI)
	VMOVUPD Y1, 64(DI)
	VMOVUPD Y3, 96(DI)
	VZEROUPPER
	MOVQ R9, diffSq+48(FP)
	RET

// func bankSSE2(st *[2 * numFilters]float64, x *int16, pairs int, dc float64, prev int64, c *[numFilters]float64) (diffSq int64)
TEXT ·bankSSE2(SB), NOSPLIT, $0-56
	MOVQ st+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ pairs+16(FP), CX
	MOVQ prev+32(FP), R8
	MOVQ c+40(FP), AX
	MOVUPD 0(AX), X8             // coefficients, two filters a register
	MOVUPD 16(AX), X9
	MOVUPD 32(AX), X10
	MOVUPD 48(AX), X11
	XORPD X0, X0                 // a, filters 0-1, 2-3, 4-5, 6-7
	XORPD X1, X1
	XORPD X2, X2
	XORPD X3, X3
	XORPD X4, X4                 // b, the same
	XORPD X5, X5
	XORPD X6, X6
	XORPD X7, X7
	XORQ R9, R9
	TESTQ CX, CX
	JZ sse2done

sse2loop:
	LOADPAIR
	// b = (v0 − b) + c·a, b's register taking c·a
	XORPD X12, X12
	CVTSQ2SD R10, X12
	SUBSD dc+24(FP), X12
	SHUFPD $0, X12, X12          // v0 in both lanes
	MOVAPD X12, X13
	SUBPD X4, X13
	MOVAPD X0, X4
	MULPD X8, X4
	ADDPD X13, X4
	MOVAPD X12, X13
	SUBPD X5, X13
	MOVAPD X1, X5
	MULPD X9, X5
	ADDPD X13, X5
	MOVAPD X12, X13
	SUBPD X6, X13
	MOVAPD X2, X6
	MULPD X10, X6
	ADDPD X13, X6
	MOVAPD X12, X13
	SUBPD X7, X13
	MOVAPD X3, X7
	MULPD X11, X7
	ADDPD X13, X7
	// a = (v1 − a) + c·b
	XORPD X12, X12
	CVTSQ2SD R11, X12
	SUBSD dc+24(FP), X12
	SHUFPD $0, X12, X12
	MOVAPD X12, X13
	SUBPD X0, X13
	MOVAPD X4, X0
	MULPD X8, X0
	ADDPD X13, X0
	MOVAPD X12, X13
	SUBPD X1, X13
	MOVAPD X5, X1
	MULPD X9, X1
	ADDPD X13, X1
	MOVAPD X12, X13
	SUBPD X2, X13
	MOVAPD X6, X2
	MULPD X10, X2
	ADDPD X13, X2
	MOVAPD X12, X13
	SUBPD X3, X13
	MOVAPD X7, X3
	MULPD X11, X3
	ADDPD X13, X3
	ADDQ $4, SI
	DECQ CX
	JNZ sse2loop

sse2done:
	MOVUPD X0, 0(DI)
	MOVUPD X1, 16(DI)
	MOVUPD X2, 32(DI)
	MOVUPD X3, 48(DI)
	MOVUPD X4, 64(DI)
	MOVUPD X5, 80(DI)
	MOVUPD X6, 96(DI)
	MOVUPD X7, 112(DI)
	MOVQ R9, diffSq+48(FP)
	RET

// func sumsSSE2(x *int16, octets int) (sum, sumSq int64)
//
// Σx and Σx² over 8·octets samples at x, in integers: PMADDWD against
// ones gives pair sums (int32, exact), against x itself pair sums of
// squares (at most 2·2^30, exact read as uint32), widened to 64 bits
// before they are added up.
TEXT ·sumsSSE2(SB), NOSPLIT, $0-32
	MOVQ x+0(FP), SI
	MOVQ octets+8(FP), CX
	PCMPEQW X7, X7
	PSRLW $15, X7                // eight int16 ones
	PXOR X6, X6                  // zero
	PXOR X3, X3                  // Σx, four int32 lanes
	PXOR X4, X4                  // Σx², two uint64 lanes
	PXOR X5, X5                  // Σx², two more
	TESTQ CX, CX
	JZ sumsdone

sumsloop:
	MOVOU (SI), X0
	MOVO X0, X1
	PMADDWL X7, X0
	PADDL X0, X3
	PMADDWL X1, X1
	MOVO X1, X2
	PUNPCKLLQ X6, X1
	PUNPCKHLQ X6, X2
	PADDQ X1, X4
	PADDQ X2, X5
	ADDQ $16, SI
	DECQ CX
	JNZ sumsloop

sumsdone:
	PSHUFL $0x4e, X3, X2
	PADDL X2, X3
	PSHUFL $0xb1, X3, X2
	PADDL X2, X3
	MOVL X3, AX
	MOVLQSX AX, AX
	MOVQ AX, sum+16(FP)
	PADDQ X5, X4
	PSHUFL $0x4e, X4, X2
	PADDQ X2, X4
	MOVQ X4, AX
	MOVQ AX, sumSq+24(FP)
	RET

// INTEG adds the sample at off(SI) to the integrators R8, R9, R10 (R15
// is scratch).
#define INTEG(off) \
	MOVWQSX off(SI), R15 \
	ADDQ R15, R8 \
	ADDQ R8, R9 \
	ADDQ R9, R10

// COMBSA runs the combs (states R11, R12, R13) on the integrators' output
// R10, leaving the CIC's output in AX: y0 = i2 − c0, y1 = y0 − c1,
// y2 = y1 − c2, and c0, c1, c2 = i2, y0, y1, with y0, y1 left in BX, DX.
// COMBS puts them back in R12, R13; for two outputs in a row, COMBSB, the
// second, takes them from BX, DX and puts its own in R12, R13, so that
// neither moves them.
#define COMBSA \
	MOVQ R10, BX \
	SUBQ R11, BX \
	MOVQ BX, DX \
	SUBQ R12, DX \
	MOVQ DX, AX \
	SUBQ R13, AX \
	MOVQ R10, R11

#define COMBS \
	COMBSA \
	MOVQ BX, R12 \
	MOVQ DX, R13

#define COMBSB \
	MOVQ R10, R12 \
	SUBQ R11, R12 \
	MOVQ R12, R13 \
	SUBQ BX, R13 \
	MOVQ R13, AX \
	SUBQ DX, AX \
	MOVQ R10, R11

// ROUND2 rounds y/8 half away from zero, in place:
// (y + 4 + (y >> 63)) >> 3; t is scratch.
#define ROUND2(y, t) \
	MOVQ y, t \
	SARQ $63, t \
	LEAQ 4(y)(t*1), y \
	SARQ $3, y

// ROUNDF is combOut's rounding of y·scale (scale in X2, the sign bit in
// X3, 0.5 in X4; X0, X1 scratch), in place: x = float64(y)·scale, then
// int32(x + copysign(0.5, x)), truncated.
#define ROUNDF(y) \
	XORPS X0, X0 \
	CVTSQ2SD y, X0 \
	MULSD X2, X0 \
	MOVAPD X0, X1 \
	ANDPD X3, X1 \
	ORPD X4, X1 \
	ADDSD X1, X0 \
	CVTTSD2SL X0, y

// CICLOAD and CICSTORE move the states between st and registers.
#define CICLOAD \
	MOVQ 0(AX), R8 \
	MOVQ 8(AX), R9 \
	MOVQ 16(AX), R10 \
	MOVQ 24(AX), R11 \
	MOVQ 32(AX), R12 \
	MOVQ 40(AX), R13

#define CICSTORE \
	MOVQ R8, 0(AX) \
	MOVQ R9, 8(AX) \
	MOVQ R10, 16(AX) \
	MOVQ R11, 24(AX) \
	MOVQ R12, 32(AX) \
	MOVQ R13, 40(AX)

// func cic2(st *[6]int64, x *int16, o *int16, n int)
//
// The order-3 CIC decimating by 2 over 2·n samples at x, n outputs at o:
// st holds the integrators and the combs (i0, i1, i2, c0, c1, c2), in and
// out. cicWhole's loop for decimation by 2, instruction for instruction
// what it means, without the compiler's bounds checks and register moves.
TEXT ·cic2(SB), NOSPLIT, $0-32
	MOVQ st+0(FP), AX
	MOVQ x+8(FP), SI
	MOVQ o+16(FP), DI
	MOVQ n+24(FP), CX
	CICLOAD
	// Two outputs a step, the combs' states alternating between R12, R13
	// and BX, DX so that they need no moves; an odd last one alone.
	MOVQ CX, R14
	SHRQ $1, CX
	JZ cic2last

cic2loop:
	INTEG(0)
	INTEG(2)
	COMBSA
	ROUND2(AX, R15)
	MOVW AX, 0(DI)
	INTEG(4)
	INTEG(6)
	COMBSB
	ROUND2(AX, R15)
	MOVW AX, 2(DI)
	ADDQ $8, SI
	ADDQ $4, DI
	DECQ CX
	JNZ cic2loop

cic2last:
	TESTQ $1, R14
	JZ cic2done
	INTEG(0)
	INTEG(2)
	COMBS
	ROUND2(AX, R15)
	MOVW AX, 0(DI)

cic2done:
	MOVQ st+0(FP), AX
	CICSTORE
	RET

// func cic6(st *[6]int64, x *int16, o *int16, n int, scale float64)
//
// cic2's twin for decimation by 6 (48 kHz): six samples an output, and
// combOut's float rounding, operation for operation: x = float64(y)·scale,
// then int16(x + copysign(0.5, x)) (truncation, through int32).
TEXT ·cic6(SB), NOSPLIT, $0-40
	MOVQ st+0(FP), AX
	MOVQ x+8(FP), SI
	MOVQ o+16(FP), DI
	MOVQ n+24(FP), CX
	MOVSD scale+32(FP), X2
	MOVQ $0x8000000000000000, BX
	MOVQ BX, X3                  // the sign bit
	MOVQ $0x3fe0000000000000, BX
	MOVQ BX, X4                  // 0.5
	CICLOAD
	// Two outputs a step, as cic2.
	MOVQ CX, R14
	SHRQ $1, CX
	JZ cic6last

cic6loop:
	INTEG(0)
	INTEG(2)
	INTEG(4)
	INTEG(6)
	INTEG(8)
	INTEG(10)
	COMBSA
	ROUNDF(AX)
	MOVW AX, 0(DI)
	INTEG(12)
	INTEG(14)
	INTEG(16)
	INTEG(18)
	INTEG(20)
	INTEG(22)
	COMBSB
	ROUNDF(AX)
	MOVW AX, 2(DI)
	ADDQ $24, SI
	ADDQ $4, DI
	DECQ CX
	JNZ cic6loop

cic6last:
	TESTQ $1, R14
	JZ cic6done
	INTEG(0)
	INTEG(2)
	INTEG(4)
	INTEG(6)
	INTEG(8)
	INTEG(10)
	COMBS
	ROUNDF(AX)
	MOVW AX, 0(DI)

cic6done:
	MOVQ st+0(FP), AX
	CICSTORE
	RET

// CMUL sets d to the complex products of a and b, two complex128 a
// register (re, im, re, im), as Go computes them: re = ar·br − ai·bi,
// im = ai·br + ar·bi (Go adds ar·bi + ai·br: the same sum). t, u: scratch.
#define CMUL(a, b, d, t, u) \
	VMOVDDUP b, t \
	VPERMILPD $0xf, b, u \
	VMULPD t, a, t \
	VPERMILPD $0x5, a, d \
	VMULPD u, d, u \
	VADDSUBPD u, t, d

// func rotFinishAVX2(rot, step *[numFilters]complex128, coeff, sinw, s1, s2 *[numFilters]float64, xs *[numFilters]complex64)
//
// syncRot for a gap of one sub-block and finish, for the eight filters,
// two a register: rot = rot·step renormalised (scale by (3 − |rot|²)/2),
// then xs = complex64(rot·step·(½c·s1 − s2 + j·sinw·s1)), each operation
// the Go code's.
TEXT ·rotFinishAVX2(SB), NOSPLIT, $0-56
	MOVQ rot+0(FP), AX
	MOVQ step+8(FP), BX
	MOVQ coeff+16(FP), CX
	MOVQ sinw+24(FP), DX
	MOVQ s1+32(FP), SI
	MOVQ s2+40(FP), DI
	MOVQ xs+48(FP), R8
	MOVQ $0x4008000000000000, R9 // 3.0
	VMOVQ R9, X13
	VBROADCASTSD X13, Y13
	MOVQ $0x3fe0000000000000, R9 // 0.5
	VMOVQ R9, X14
	VBROADCASTSD X14, Y14
	MOVQ $0x3ff0000000000000, R9 // 1.0
	VMOVQ R9, X12
	VBROADCASTSD X12, Y12
	VBLENDPD $0x5, Y14, Y12, Y12 // 0.5, 1, 0.5, 1
	VXORPD Y11, Y11, Y11
	MOVQ $4, R10

rotfinloop:
	VMOVUPD 0(AX), Y0            // rot, filters i, i+1
	VMOVUPD 0(BX), Y1            // step
	CMUL(Y0, Y1, Y2, Y3, Y4)     // r = rot·step
	VMULPD Y2, Y2, Y3
	VHADDPD Y3, Y3, Y3           // n = re² + im², in both halves
	VSUBPD Y3, Y13, Y3           // 3 − n
	VMULPD Y14, Y3, Y3           // (3 − n)/2
	VMULPD Y3, Y2, Y2            // r, renormalised
	VMOVUPD Y2, 0(AX)
	CMUL(Y2, Y1, Y0, Y3, Y4)     // rot·step
	// z = (½c·s1 − s2, sinw·s1)
	VMOVUPD 0(CX), X5            // c_i, c_i+1
	VMOVUPD 0(DX), X6            // sinw_i, sinw_i+1
	VUNPCKLPD X6, X5, X7         // c_i, sinw_i
	VUNPCKHPD X6, X5, X8         // c_i+1, sinw_i+1
	VINSERTF128 $1, X8, Y7, Y7
	VMULPD Y12, Y7, Y7           // ½c, sinw (·1)
	VMOVUPD 0(SI), X5
	VPERMPD $0x50, Y5, Y5        // s1_i, s1_i, s1_i+1, s1_i+1
	VMULPD Y5, Y7, Y7            // ½c·s1, sinw·s1
	VMOVUPD 0(DI), X6
	VPERMPD $0x50, Y6, Y6
	VBLENDPD $0xa, Y11, Y6, Y6   // s2_i, 0, s2_i+1, 0
	VSUBPD Y6, Y7, Y7            // z
	CMUL(Y0, Y7, Y8, Y3, Y4)
	VCVTPD2PSY Y8, X8
	VMOVUPS X8, 0(R8)
	ADDQ $32, AX
	ADDQ $32, BX
	ADDQ $16, CX
	ADDQ $16, DX
	ADDQ $16, SI
	ADDQ $16, DI
	ADDQ $16, R8
	DECQ R10
	JNZ rotfinloop
	VZEROUPPER
	RET
