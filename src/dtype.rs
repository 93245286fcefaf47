//! Element types. The numeric codes match `CP_F32`.. in `cpp/include/corepy_kernels.h`.

use crate::error::{CoreError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum DType {
    F32 = 0,
    F64 = 1,
    I32 = 2,
    I64 = 3,
    Bool = 4,
}

impl DType {
    pub const ALL: [DType; 5] = [DType::F32, DType::F64, DType::I32, DType::I64, DType::Bool];

    pub fn code(self) -> usize {
        self as usize
    }

    pub fn itemsize(self) -> usize {
        match self {
            DType::F32 | DType::I32 => 4,
            DType::F64 | DType::I64 => 8,
            DType::Bool => 1,
        }
    }

    /// The NumPy name, which is also the Python-visible `Tensor.dtype`.
    pub fn name(self) -> &'static str {
        match self {
            DType::F32 => "float32",
            DType::F64 => "float64",
            DType::I32 => "int32",
            DType::I64 => "int64",
            DType::Bool => "bool",
        }
    }

    pub fn is_float(self) -> bool {
        matches!(self, DType::F32 | DType::F64)
    }

    pub fn is_int(self) -> bool {
        matches!(self, DType::I32 | DType::I64)
    }

    pub fn from_name(name: &str) -> Result<DType> {
        Ok(match name {
            "float32" | "f4" | "f" => DType::F32,
            "float64" | "f8" | "d" | "float" | "double" => DType::F64,
            "int32" | "i4" | "i" => DType::I32,
            "int64" | "i8" | "q" | "int" | "long" => DType::I64,
            "bool" | "bool_" | "?" | "b1" => DType::Bool,
            other => {
                return Err(CoreError::type_err(format!(
                "unsupported dtype {other:?}: expected one of float32, float64, int32, int64, bool"
            )))
            }
        })
    }

    /// dtype of a sum over this dtype (NumPy promotes small ints and bool to int64).
    pub fn sum_dtype(self) -> DType {
        match self {
            DType::F32 => DType::F32,
            DType::F64 => DType::F64,
            _ => DType::I64,
        }
    }

    /// dtype of a mean over this dtype.
    pub fn mean_dtype(self) -> DType {
        match self {
            DType::F32 => DType::F32,
            _ => DType::F64,
        }
    }

    /// Index into the two-entry float tables (dot, gemm), or a TypeError naming the op.
    pub fn float_index(self, op: &str) -> Result<usize> {
        match self {
            DType::F32 => Ok(0),
            DType::F64 => Ok(1),
            other => Err(CoreError::type_err(format!(
                "{op} supports float32 and float64, got {}",
                other.name()
            ))),
        }
    }
}

/// Two operands of one op must share a dtype; the message names both.
pub fn same_dtype(op: &str, a: DType, b: DType) -> Result<DType> {
    if a == b {
        Ok(a)
    } else {
        Err(CoreError::type_err(format!(
            "{op}: mixed dtypes {} and {}; convert one with astype()",
            a.name(),
            b.name()
        )))
    }
}
