//===--- HandleUses.cpp - what code does with a handle --------------------===//

#include "analysis/core/HandleUses.h"
#include "Compat.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

namespace clang::tidy::mapguard {

namespace {

/// Methods of standard classes named like close functions are idempotent
/// (unique_ptr::release, fstream::close, unique_lock::release): closing
/// twice is not a bug, and a null unique_ptr may be released.
bool isIdempotentStdMember(const FunctionDecl *FD) {
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  return MD && MD->getParent()->isInStdNamespace();
}

} // namespace

/// The handle that \p S closes: the first argument of a close function
/// (`fclose(f)`, `close(fd)`), or the object of a close method (`f->close()`,
/// `ch.close()`). Close functions come from MapModel (CloseFunctions).
const Expr *closedHandle(const Stmt *S, const MapModel &Model) {
  const auto *C = dyn_cast_or_null<CallExpr>(S);
  if (!C)
    return nullptr;
  const FunctionDecl *FD = C->getDirectCallee();
  if (!FD || !Model.isCloseFunction(FD) || isIdempotentStdMember(FD))
    return nullptr;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C))
    return MC->getImplicitObjectArgument();
  if (isa<CXXOperatorCallExpr>(C))
    return nullptr;
  return C->getNumArgs() > 0 ? C->getArg(0) : nullptr;
}

/// \p S (one CFG element, or one statement of a cleanup body) may give \p H
/// a new value: assignment, ++/--, its address taken, a non-const method
/// other than a close (reset, =), a non-const reference argument, a
/// (re)declaration.
bool writesHandle(const Stmt *S, const ValueDecl *H, const MapModel &Model) {
  if (const auto *BO = dyn_cast<BinaryOperator>(S))
    return BO->isAssignmentOp() && refersTo(BO->getLHS(), H);
  if (const auto *UO = dyn_cast<UnaryOperator>(S))
    return (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf) &&
           refersTo(UO->getSubExpr(), H);
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (D == H)
        return true;
    return false;
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S))
    if (OC->isAssignmentOp() && OC->getNumArgs() > 0 &&
        refersTo(OC->getArg(0), H))
      return true;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    const Expr *Obj = MC->getImplicitObjectArgument();
    // `p.reset()` gives p a new value; `ch.try_recv()` or `p->f()` do not.
    if (MD && !MD->isConst() && Obj && refersTo(Obj, H) &&
        !Obj->getType()->isPointerType() && MD->getDeclName().isIdentifier() &&
        compat::isOneOf({"reset", "release", "swap", "emplace", "assign",
                         "clear"},
                        MD->getName()) &&
        !Model.isCloseFunction(MD))
      return true;
  }
  if (const auto *C = dyn_cast<CallExpr>(S))
    for (unsigned I = implicitObjectArgs(C); I < C->getNumArgs(); ++I)
      if (refersTo(C->getArg(I), H) && C->getDirectCallee() &&
          passesByMutableRef(C, I))
        return true;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
    for (unsigned I = 0; I < CE->getNumArgs(); ++I)
      if (refersTo(CE->getArg(I), H) && passesByMutableRef(CE, I))
        return true;
  return false;
}

namespace {

/// \p S mentions \p D anywhere (not inside nested lambdas). A worklist:
/// generated code nests expressions deeply.
bool mentions(const Stmt *S, const ValueDecl *D) {
  llvm::SmallVector<const Stmt *, 32> Work{S};
  while (!Work.empty()) {
    const Stmt *St = Work.pop_back_val();
    if (!St)
      continue;
    if (const auto *E = dyn_cast<Expr>(St); E && refersTo(E, D))
      return true;
    if (isa<LambdaExpr>(St))
      continue;
    for (const Stmt *Child : St->children())
      Work.push_back(Child);
  }
  return false;
}

bool usesValue(const Stmt *S, const ValueDecl *D, const MapModel &Model) {
  std::optional<HandleUse> U = handleUseOf(S, Model);
  return U && refersTo(U->Handle, D);
}

class BodyScanner {
public:
  BodyScanner(const ValueDecl *D, const MapModel &Model) : D(D), Model(Model) {}

  /// Visits the body in pre-order on an explicit stack (generated code nests
  /// deeply); the facts depend on that order through Guarded.
  BodyFacts run(const Stmt *Body) {
    Work.push_back({Body, /*OtherCond=*/false, /*OwnTest=*/false, false});
    while (!Work.empty()) {
      Task T = Work.pop_back_val();
      if (T.SetGuarded)
        Guarded = true;
      else
        visit(T.S, T.OtherCond, T.OwnTest);
    }
    return Facts;
  }

private:
  /// A statement to visit under the conditions that decide whether it runs,
  /// or (SetGuarded) the point where a condition mentioning the value has
  /// been evaluated.
  struct Task {
    const Stmt *S;
    bool OtherCond, OwnTest, SetGuarded;
  };

  /// Visits \p S: records its facts and schedules its parts, in order.
  void visit(const Stmt *S, bool OtherCond, bool OwnTest) {
    if (!S || isa<LambdaExpr>(S))
      return;
    if (!Facts.UnguardedUse && !Guarded && usesValue(S, D, Model)) {
      const auto *RF = dyn_cast<CXXForRangeStmt>(S);
      Facts.UnguardedUse = RF ? RF->getRangeInit() : S;
    }
    if (writesHandle(S, D, Model)) {
      Facts.Writes = true;
      Guarded = true;
    }
    if (!Facts.Close && refersTo(closedHandle(S, Model), D)) {
      Facts.Close = cast<CallExpr>(S);
      Facts.CloseUnderOtherCondition = OtherCond;
      Facts.CloseUnderOwnTest = OwnTest;
    }
    llvm::SmallVector<Task, 8> Next;
    auto Visit = [&](const Stmt *Part, bool Other, bool Own) {
      Next.push_back({Part, Other, Own, false});
    };
    // A condition, then what it decides.
    auto Branch = [&](const Stmt *Cond, llvm::ArrayRef<const Stmt *> Parts) {
      Visit(Cond, OtherCond, OwnTest);
      bool Own = mentions(Cond, D);
      if (Own)
        Next.push_back({nullptr, false, false, true});
      for (const Stmt *P : Parts)
        Visit(P, OtherCond || !Own, OwnTest || Own);
    };
    if (const auto *If = dyn_cast<IfStmt>(S)) {
      Visit(If->getInit(), OtherCond, OwnTest);
      if (If->getConditionVariableDeclStmt())
        Visit(If->getConditionVariableDeclStmt(), OtherCond, OwnTest);
      Branch(If->getCond(), {If->getThen(), If->getElse()});
    } else if (const auto *CO = dyn_cast<AbstractConditionalOperator>(S)) {
      Branch(CO->getCond(), {CO->getTrueExpr(), CO->getFalseExpr()});
    } else if (const auto *BO = dyn_cast<BinaryOperator>(S);
               BO && BO->isLogicalOp()) {
      Branch(BO->getLHS(), {BO->getRHS()});
    } else if (const auto *W = dyn_cast<WhileStmt>(S)) {
      Branch(W->getCond(), {W->getBody()});
    } else if (const auto *Do = dyn_cast<DoStmt>(S)) {
      Branch(Do->getCond(), {Do->getBody()});
    } else if (const auto *F = dyn_cast<ForStmt>(S)) {
      Visit(F->getInit(), OtherCond, OwnTest);
      Branch(F->getCond(), {F->getBody(), F->getInc()});
    } else if (const auto *RF = dyn_cast<CXXForRangeStmt>(S)) {
      Visit(RF->getRangeInit(), OtherCond, OwnTest);
      Branch(nullptr, {RF->getBody()});
    } else if (const auto *Sw = dyn_cast<SwitchStmt>(S)) {
      Branch(Sw->getCond(), {Sw->getBody()});
    } else if (const auto *Try = dyn_cast<CXXTryStmt>(S)) {
      Visit(Try->getTryBlock(), OtherCond, OwnTest);
      for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
        Visit(Try->getHandler(I), true, OwnTest);
    } else if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
      // After `if (c) return;` the rest runs only when c is false.
      for (const Stmt *Child : CS->body()) {
        Visit(Child, OtherCond, OwnTest);
        if (const auto *If = dyn_cast<IfStmt>(Child); If && leaves(If)) {
          bool Own = mentions(If->getCond(), D);
          OtherCond |= !Own;
          OwnTest |= Own;
        }
      }
    } else {
      for (const Stmt *Child : S->children())
        Visit(Child, OtherCond, OwnTest);
    }
    Work.append(Next.rbegin(), Next.rend());
  }

  static bool leaves(const Stmt *S) {
    llvm::SmallVector<const Stmt *, 32> Stack{S};
    while (!Stack.empty()) {
      const Stmt *St = Stack.pop_back_val();
      if (!St || isa<LambdaExpr>(St))
        continue;
      if (isa<ReturnStmt>(St) || isa<CXXThrowExpr>(St) || isa<BreakStmt>(St) ||
          isa<ContinueStmt>(St) || isa<GotoStmt>(St))
        return true;
      for (const Stmt *Child : St->children())
        Stack.push_back(Child);
    }
    return false;
  }

  llvm::SmallVector<Task, 64> Work;
  const ValueDecl *D;
  const MapModel &Model;
  BodyFacts Facts;
  /// A condition mentioning the value, or a write of it, has been seen.
  bool Guarded = false;
};

} // namespace

std::optional<HandleUse> handleUseOf(const Stmt *S, const MapModel &Model) {
  using K = HandleUseKind;
  // for (auto v : ch) over a shim Chan: begin() blocks on a nil channel.
  if (const auto *RF = dyn_cast<CXXForRangeStmt>(S)) {
    const auto *Begin = dyn_cast_or_null<VarDecl>(
        RF->getBeginStmt() ? RF->getBeginStmt()->getSingleDecl() : nullptr);
    const auto *Call = Begin && Begin->getInit()
                           ? dyn_cast<CXXMemberCallExpr>(
                                 Begin->getInit()->IgnoreImplicit())
                           : nullptr;
    if (Call && Model.isChanOperation(Call))
      return HandleUse{RF->getRangeInit(), K::ChanOp};
    return std::nullopt;
  }
  // p->x on a raw pointer; smart pointers go through operator-> below.
  if (const auto *ME = dyn_cast<MemberExpr>(S)) {
    const auto *Op =
        dyn_cast<CXXOperatorCallExpr>(ME->getBase()->IgnoreImplicit());
    if (ME->isArrow() && !(Op && Op->getOperator() == OO_Arrow))
      return HandleUse{ME->getBase(), K::Deref};
    return std::nullopt;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
    if (UO->getOpcode() == UO_Deref)
      return HandleUse{UO->getSubExpr(), K::Deref};
    return std::nullopt;
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S)) {
    OverloadedOperatorKind O = OC->getOperator();
    if (OC->getNumArgs() >= 1 &&
        (O == OO_Arrow || O == OO_ArrowStar ||
         (O == OO_Star && OC->getNumArgs() == 1)))
      return HandleUse{OC->getArg(0), K::Deref};
    if (OC->getNumArgs() >= 1 && O == OO_Call)
      return HandleUse{OC->getArg(0), K::Call};
    return std::nullopt;
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    if (Model.isChanOperation(MC))
      return HandleUse{MC->getImplicitObjectArgument(), K::ChanOp};
  }
  if (const auto *C = dyn_cast<CallExpr>(S)) {
    // A call through a function pointer that may be null.
    if (!C->getDirectCallee() && C->getCallee() &&
        C->getCallee()->getType()->isPointerType())
      return HandleUse{C->getCallee(), K::Call};
    if (const Expr *Closed = closedHandle(C, Model))
      return HandleUse{Closed, K::Close};
  }
  return std::nullopt;
}

BodyFacts scanBody(const Stmt *Body, const ValueDecl *D, const MapModel &Model) {
  return BodyScanner(D, Model).run(Body);
}

} // namespace clang::tidy::mapguard
