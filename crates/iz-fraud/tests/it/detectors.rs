//! Each detector, firing on the pattern it is named after, with its reasons.

use super::*;

#[test]
fn structuring_and_propagation_flag_a_mule_and_its_ring() {
    let mut c = centre();
    // Three similar transfers from one payer to M within minutes; a ring M → X → Y → M.
    for (i, amount) in [4_000, 4_100, 3_900].into_iter().enumerate() {
        observe(
            &mut c,
            Event::Transaction(tx(&format!("s{i}"), i as i64 * 60, "P", "M", amount)),
        );
    }
    observe(
        &mut c,
        Event::Transaction(tx("r1", 1_000, "M", "X", 11_000)),
    );
    observe(
        &mut c,
        Event::Transaction(tx("r2", 2_000, "X", "Y", 10_500)),
    );
    observe(
        &mut c,
        Event::Transaction(tx("r3", 3_000, "Y", "M", 10_000)),
    );
    c.propagate();
    let m = indicators(&c, "M");
    for expected in ["structuring", "cycle", "ring"] {
        assert!(m.contains(&expected.to_string()), "{m:?}");
    }
    let (score_m, _) = c.score(&acc("M")).expect("known");
    let (score_other, _) = c.score(&acc("P")).expect("known");
    assert!(score_m > score_other);
    assert!(indicators(&c, "X").contains(&"suspect_link".to_string()));
}

#[test]
fn a_confirmed_dropper_is_blocked_until_its_entry_expires() {
    let mut c = centre();
    observe(
        &mut c,
        Event::BlockListed(BlockEntry {
            target: BlockTarget::Account(acc("D")),
            reason: BlockReason::ConfirmedDropper,
            at: t(0),
            legal_basis: basis(),
            expires_at: t(86_400),
        }),
    );
    let d = c.decide(&tx("T", 60, "A", "D", 5_000)).expect("judged");
    assert_eq!(d.decision, Verdict::Block);
    assert!(
        d.reasons
            .iter()
            .any(|r| r.indicator == "payee.block_listed" && r.detail.contains("CD-2026-0042"))
    );
    let later = c.decide(&tx("T", 90_000, "A", "D", 5_000)).expect("judged");
    assert_ne!(
        later.decision,
        Verdict::Block,
        "an expired entry stops matching by itself"
    );
    assert_eq!(c.block_list(t(60)).len(), 1);
    assert!(c.block_list(t(90_000)).is_empty());
}

#[test]
fn a_transfer_to_a_new_payee_during_a_call_from_a_sip_gateway_is_held() {
    let mut c = centre();
    observe(
        &mut c,
        Event::AccountOpened(AccountOpened {
            account: acc("V"),
            owner_iin: "900101300123".into(),
            at: t(-86_400 * 400),
            channel: OpeningChannel::Branch,
            phone: Some("+77010000001".into()),
        }),
    );
    observe(
        &mut c,
        Event::Call(CallRecord {
            at: t(0),
            caller: "+74950000000".into(),
            callee: "+77010000001".into(),
            caller_type: CallerType::SipGateway,
            cell_id: None,
            caller_imei: None,
            duration_s: 600,
        }),
    );
    let during = c
        .decide(&tx("T1", 300, "V", "NEW", 200_000))
        .expect("judged");
    assert_eq!(during.decision, Verdict::Hold);
    let why = during
        .reasons
        .iter()
        .find(|r| r.indicator == "call_then_transfer")
        .expect("reason");
    assert!(
        why.detail.contains("during the call") && why.detail.contains("sip_gateway"),
        "{}",
        why.detail
    );
    // 29 minutes after the call ended: still held; 31: allowed.
    assert_eq!(
        c.decide(&tx("T2", 600 + 29 * 60, "V", "NEW", 200_000))
            .expect("judged")
            .decision,
        Verdict::Hold
    );
    assert_eq!(
        c.decide(&tx("T3", 600 + 31 * 60, "V", "NEW", 200_000))
            .expect("judged")
            .decision,
        Verdict::Allow
    );
    // A payee paid before is not new.
    observe(
        &mut c,
        Event::Transaction(tx("old", -3_600, "V", "MUM", 1_000)),
    );
    assert_eq!(
        c.decide(&tx("T4", 300, "V", "MUM", 1_000))
            .expect("judged")
            .decision,
        Verdict::Allow
    );
}

#[test]
fn a_number_calling_many_with_short_calls_from_one_cell_is_proposed_as_a_sim_box() {
    let mut c = centre();
    let mut proposals = Vec::new();
    for i in 0..60 {
        let o = observe(
            &mut c,
            Event::Call(CallRecord {
                at: t(i * 90),
                caller: "+77770000000".into(),
                callee: format!("+7701{i:07}"),
                caller_type: CallerType::Mobile,
                cell_id: Some("ALM-0042".into()),
                caller_imei: Some("356938035643809".into()),
                duration_s: 20,
            }),
        );
        proposals.extend(o.hits);
    }
    assert_eq!(proposals.len(), 1, "proposed once");
    let Hit::SimBoxProposed {
        number, reasons, ..
    } = &proposals[0]
    else {
        panic!("a SIM-box proposal, got {:?}", proposals[0]);
    };
    assert_eq!(number, "+77770000000");
    let names: Vec<&str> = reasons.iter().map(|r| r.indicator.as_str()).collect();
    for expected in [
        "out_in_ratio",
        "distinct_callees",
        "short_calls",
        "fixed_cell",
        "new_sim",
    ] {
        assert!(names.contains(&expected), "{names:?}");
    }
    assert_eq!(c.sim_box_proposals().len(), 1);
}

#[test]
fn payments_to_drug_shop_details_and_one_hop_from_them_are_counted_as_revenue() {
    let mut c = centre();
    observe(
        &mut c,
        Event::DrugShop(DrugShopDetails {
            shop: "shop-7".into(),
            at: t(0),
            accounts: vec![acc("SHOP")],
            numbers: vec![],
            qr_merchants: vec!["QR-77".into()],
            legal_basis: basis(),
            expires_at: t(86_400 * 365),
        }),
    );
    let direct = observe(
        &mut c,
        Event::Transaction(tx("p1", 10, "BUYER", "SHOP", 15_000)),
    );
    assert!(
        direct
            .hits
            .iter()
            .any(|h| matches!(h, Hit::DrugShopPayment { hops: 0, .. })),
        "{:?}",
        direct.hits
    );
    observe(
        &mut c,
        Event::Transaction(tx("f1", 20, "SHOP", "COLLECTOR", 14_000)),
    );
    let hop = observe(
        &mut c,
        Event::Transaction(tx("p2", 30, "BUYER2", "COLLECTOR", 9_000)),
    );
    assert!(
        hop.hits
            .iter()
            .any(|h| matches!(h, Hit::DrugShopPayment { hops: 1, .. })),
        "{:?}",
        hop.hits
    );
    let qr = Transaction {
        qr_merchant: Some("QR-77".into()),
        channel: TransferChannel::Qr,
        ..tx("p3", 40, "BUYER3", "ACQ", 5_000)
    };
    assert_eq!(c.decide(&qr).expect("judged").decision, Verdict::Block);
    observe(&mut c, Event::Transaction(qr));
    let revenue = &c.shop_revenue()[0];
    assert_eq!(
        (revenue.direct_tiyn, revenue.one_hop_tiyn, revenue.payments),
        (2_000_000, 900_000, 3)
    );
}

#[test]
fn many_accounts_on_one_device_and_remote_new_accounts_raise_the_score() {
    let mut c = centre();
    for i in 0..6 {
        let name = format!("R{i}");
        observe(
            &mut c,
            Event::AccountOpened(AccountOpened {
                account: acc(&name),
                owner_iin: format!("0001015000{i:02}"),
                at: t(0),
                channel: OpeningChannel::Remote,
                phone: None,
            }),
        );
        observe(
            &mut c,
            Event::Transaction(tx(&format!("in{i}"), 100, "VICTIM", &name, 50_000)),
        );
        let out = Transaction {
            device_id: Some("DEV-1".into()),
            ..tx(&format!("out{i}"), 200, &name, "CASH", 49_000)
        };
        observe(&mut c, Event::Transaction(out));
    }
    let r = indicators(&c, "R5");
    for expected in [
        "shared_device",
        "remote_opening",
        "new_account",
        "pass_through",
    ] {
        assert!(r.contains(&expected.to_string()), "{r:?}");
    }
    observe(
        &mut c,
        Event::Transaction(tx("plain", 100, "VICTIM", "ORDINARY", 50_000)),
    );
    let mule = c
        .decide(&tx("next", 300, "SOMEONE", "R5", 10_000))
        .expect("judged");
    let ordinary = c
        .decide(&tx("next", 300, "SOMEONE", "ORDINARY", 10_000))
        .expect("judged");
    assert!(
        mule.score > 0.5 && ordinary.score < 0.1,
        "{mule:?} {ordinary:?}"
    );
    assert_eq!(ordinary.decision, Verdict::Allow);
}

#[test]
fn a_replayed_amlsim_sample_scores_every_node_without_reading_labels() {
    let nodes = b"nodeid,isFraud,init_balance,fraudStep\n0,1,10.0,3\n1,0,10.0,-1\n2,0,5.0,-1\n";
    let txs =
        b"sourceNodeId,targetNodeId,value,time,extra\n0,1,4.5,1,x\n0,1,4.4,1,x\n1,0,300.0,2,x\n";
    let nodes = amlsim::read_nodes(nodes).expect("nodes");
    let transfers = amlsim::read_transactions(txs).expect("transactions");
    let (_, replay) = amlsim::replay(&nodes, transfers, Rules::amlsim());
    let scores: Vec<&str> = replay.scores.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(scores, ["0", "1", "2"]);
    assert!(replay.scores[0].1 > 0.0 && replay.scores[2].1 == 0.0);
    let missing = amlsim::read_transactions(b"src,dst\n1,2\n").expect_err("refused");
    assert!(missing.message.contains("sourceNodeId"));
}
