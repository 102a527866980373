/**
 * Reading a store credit account: balances are the running sum of its
 * transactions (credits add, debits and expirations subtract, whatever sign
 * the store wrote them with), so balanceAfterTransaction and the account
 * balance always agree.
 */
import { money, type StoreCreditAccount, type StoreCreditTransaction } from "../../store";

export interface TransactionView {
  account: StoreCreditAccount;
  tx: StoreCreditTransaction;
  /** Signed amount: positive for credits, negative otherwise. */
  amount: string;
  balanceAfter: string;
}

export function signedAmount(tx: StoreCreditTransaction): string {
  const cents = Math.abs(money.cents(tx.amount));
  return money.fromCents(tx.kind === "credit" ? cents : -cents);
}

export function transactionViews(account: StoreCreditAccount): TransactionView[] {
  const ordered = [...account.transactions].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || Number(a.id) - Number(b.id),
  );
  let balance = 0;
  return ordered.map((tx) => {
    const amount = signedAmount(tx);
    balance += money.cents(amount);
    return { account, tx, amount, balanceAfter: money.fromCents(balance) };
  });
}

export function accountBalance(account: StoreCreditAccount): string {
  return account.transactions.reduce((sum, tx) => money.add(sum, signedAmount(tx)), "0.00");
}

export function storeCreditTransactionView(account: StoreCreditAccount, tx: StoreCreditTransaction): TransactionView {
  return transactionViews(account).find((view) => view.tx === tx)!;
}
