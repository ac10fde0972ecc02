//! Inventory service: stock levels and reservations per SKU.

use std::collections::BTreeMap;

pub struct Inventory {
    stock: BTreeMap<String, u32>,
    reserved: BTreeMap<String, u32>,
}

fn parse_qty(text: &str) -> Result<u32, String> {
    match text.parse::<u32>() {
        Ok(0) => Err("ERR quantity must be positive".to_string()),
        Ok(qty) => Ok(qty),
        Err(_) => Err(format!("ERR bad quantity {text}")),
    }
}

impl Inventory {
    pub fn new() -> Self {
        let stock = [("bolt", 120), ("nut", 300), ("washer", 0)]
            .into_iter()
            .map(|(sku, qty)| (sku.to_string(), qty))
            .collect();
        Inventory { stock, reserved: BTreeMap::new() }
    }

    pub fn handle(&mut self, line: &str) -> String {
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts.as_slice() {
            ["ADD", sku, qty] => self.add(sku, qty),
            ["REMOVE", sku, qty] => self.remove(sku, qty),
            ["RESERVE", sku, qty] => self.reserve(sku, qty),
            ["STOCK", sku] => self.stock(sku),
            ["LIST"] => self.list(),
            _ => "ERR usage: ADD|REMOVE|RESERVE sku qty, STOCK sku, LIST".to_string(),
        }
    }

    fn available(&self, sku: &str) -> u32 {
        let on_hand = self.stock.get(sku).copied().unwrap_or(0);
        on_hand - self.reserved.get(sku).copied().unwrap_or(0)
    }

    fn add(&mut self, sku: &str, qty: &str) -> String {
        let qty = match parse_qty(qty) {
            Ok(qty) => qty,
            Err(message) => return message,
        };
        let level = self.stock.entry(sku.to_string()).or_insert(0);
        *level += qty;
        format!("STOCK {sku} {level}")
    }

    fn remove(&mut self, sku: &str, qty: &str) -> String {
        let qty = match parse_qty(qty) {
            Ok(qty) => qty,
            Err(message) => return message,
        };
        if qty > self.available(sku) {
            return format!("ERR only {} {sku} available", self.available(sku));
        }
        let level = self.stock.get_mut(sku).expect("available stock implies an entry");
        *level -= qty;
        format!("STOCK {sku} {level}")
    }

    fn reserve(&mut self, sku: &str, qty: &str) -> String {
        let qty = match parse_qty(qty) {
            Ok(qty) => qty,
            Err(message) => return message,
        };
        if qty > self.available(sku) {
            return format!("ERR only {} {sku} available", self.available(sku));
        }
        *self.reserved.entry(sku.to_string()).or_insert(0) += qty;
        format!("RESERVED {sku} {qty}")
    }

    fn stock(&self, sku: &str) -> String {
        let level = self.stock[sku];
        format!("STOCK {sku} {level} available={}", self.available(sku))
    }

    fn list(&self) -> String {
        let items: Vec<String> = self.stock.iter().map(|(sku, qty)| format!("{sku}={qty}")).collect();
        format!("ITEMS {}", items.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::Inventory;

    #[test]
    fn add_increases_stock() {
        let mut inv = Inventory::new();
        assert_eq!(inv.handle("ADD bolt 30"), "STOCK bolt 150");
        assert_eq!(inv.handle("ADD spring 5"), "STOCK spring 5");
    }

    #[test]
    fn remove_checks_availability() {
        let mut inv = Inventory::new();
        assert_eq!(inv.handle("REMOVE nut 100"), "STOCK nut 200");
        assert_eq!(inv.handle("REMOVE washer 1"), "ERR only 0 washer available");
    }

    #[test]
    fn reservations_reduce_availability() {
        let mut inv = Inventory::new();
        assert_eq!(inv.handle("RESERVE bolt 100"), "RESERVED bolt 100");
        assert_eq!(inv.handle("STOCK bolt"), "STOCK bolt 120 available=20");
        assert_eq!(inv.handle("RESERVE bolt 21"), "ERR only 20 bolt available");
    }

    #[test]
    fn zero_quantity_is_rejected() {
        let mut inv = Inventory::new();
        assert_eq!(inv.handle("REMOVE bolt 0"), "ERR quantity must be positive");
    }

    #[test]
    fn list_is_sorted() {
        assert_eq!(Inventory::new().handle("LIST"), "ITEMS bolt=120 nut=300 washer=0");
    }
}
